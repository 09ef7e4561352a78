package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"civicgrid"
)

func runUserAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	data := dataFlag(fs, e)
	name := fs.String("name", "", "login `name` (required)")
	display := fs.String("display-name", "", "name shown to others (default: the login name)")
	role := fs.String("role", "", "`role`: "+roleList())
	unit := fs.String("unit", "", "unit `code` (required for unit_handler)")
	area := fs.String("area", "", "district, street or community `code` limiting what the user sees")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	token := fs.Bool("token", false, "print a new API token for the user (one line)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	switch {
	case *name == "":
		return usagef("user add: --name is required")
	case !civicgrid.Role(*role).Valid():
		return usagef("user add: --role must be one of %s", roleList())
	case fs.NArg() > 0:
		return usagef("user add: unexpected argument %q", fs.Arg(0))
	}
	var pw string
	if *pwStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return usagef("user add: --password-stdin given but standard input is empty")
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.users.Create(sys, civicgrid.NewUser{Name: *name, DisplayName: *display, Role: civicgrid.Role(*role),
		UnitCode: *unit, AreaCode: *area, Password: pw})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stderr, "created user %s (%s, id %d)\n", u.Name, u.Role, u.ID)
	if !*token {
		return nil
	}
	tok, err := a.users.IssueToken(sys, u.ID, "cli")
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintln(e.stdout, tok)
	return nil
}

func roleList() string {
	names := make([]string, len(civicgrid.Roles))
	for i, r := range civicgrid.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// cliError renders a domain error on one line, with its field problems.
func cliError(err error) error {
	de := civicgrid.AsError(err)
	if de == nil || de.Code == civicgrid.Internal {
		return err
	}
	msg := de.Message
	if len(de.Fields) > 1 {
		var parts []string
		for f, p := range de.Fields {
			parts = append(parts, f+": "+p)
		}
		msg = strings.Join(sortedStrings(parts), "; ")
	}
	return fmt.Errorf("%s", msg)
}
