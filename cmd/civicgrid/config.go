package main

import (
	"flag"
	"net"
	"path/filepath"
)

// Config is the server's configuration, from flags with environment
// defaults (CIVICGRID_DATA, CIVICGRID_ADDR). Nothing reads configuration
// after startup.
type Config struct {
	DataDir string
	Addr    string
	Demo    bool
}

// dataFlag registers --data with its environment default.
func dataFlag(fs *flag.FlagSet, e env) *string {
	def := e.getenv("CIVICGRID_DATA")
	if def == "" {
		def = "./civicgrid-data"
	}
	return fs.String("data", def, "data `directory` (SQLite database and attachments)")
}

// Validate reports the first problem with c as a usage error.
func (c Config) Validate() error {
	if c.DataDir == "" {
		return usagef("--data must not be empty")
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		return usagef("--addr %q is not host:port", c.Addr)
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		return usagef("--addr host %q is not an IP address or localhost", host)
	}
	return nil
}

func dbPath(dataDir string) string   { return filepath.Join(dataDir, "civicgrid.db") }
func photoDir(dataDir string) string { return filepath.Join(dataDir, "photos") }
