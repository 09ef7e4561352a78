package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"civicgrid"
)

// IdempotencyTTL is how long the answer to a request sent with an
// Idempotency-Key is kept: a retry within it gets the first answer, and
// PurgeIdempotency deletes records older than it.
const IdempotencyTTL = 24 * time.Hour

const (
	// staleReservation is how long a key may stay reserved without an
	// answer before a retry takes it over: a process that died while
	// serving the first request leaves such a reservation.
	staleReservation = 5 * time.Minute
	// maxReplayBytes bounds the answers that are kept; a larger answer is
	// not kept, and a retry runs again.
	maxReplayBytes = 1 << 20
	// spoolMemory is how much of a request body is held in memory; the
	// rest goes to a temporary file.
	spoolMemory = 1 << 20
	// recordTimeout bounds the storing of an answer, which goes on when
	// the client has gone away.
	recordTimeout = 10 * time.Second
)

// PurgeIdempotency deletes the idempotency records older than
// IdempotencyTTL at now and returns how many it deleted. The command
// schedules it as a job.
func PurgeIdempotency(ctx context.Context, store civicgrid.Store, now time.Time) (int, error) {
	var n int
	err := store.Update(ctx, func(tx civicgrid.Tx) error {
		var err error
		n, err = tx.PurgeIdempotency(ctx, now.Add(-IdempotencyTTL))
		return err
	})
	return n, err
}

// Idempotent honours the Idempotency-Key header of POST requests to next,
// reading bodies of up to maxReportBytes; see idempotent. The /open311/v2/
// mount already has it, and it is applied once however often it wraps a
// handler.
func (s *Server) Idempotent(next http.Handler) http.Handler {
	return s.idempotent(maxReportBytes, next)
}

// idempotent makes a POST with an Idempotency-Key safe to retry: the first
// answer (2xx or 4xx, other than 429) is kept for IdempotencyTTL and given
// again, marked Idempotent-Replayed: true, to a retry with the same key and
// the same request (method, path with query, and body, hashed); the same
// key with another request is 422, and a retry while the first is still
// being served is 409. A 5xx answer is not kept, so the client may retry.
// Keys are scoped to the signed-in user, else the Open311 api_key, else
// the client address. The body is read at most limit bytes, once, and
// given to next again.
func (s *Server) idempotent(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys := r.Header.Values("Idempotency-Key")
		info := requestInfoFrom(r.Context())
		if r.Method != http.MethodPost || len(keys) == 0 || info.idempotencyKey != "" {
			next.ServeHTTP(w, r)
			return
		}
		if len(keys) > 1 || !validIdempotencyKey(keys[0]) {
			s.writeError(w, r, civicgrid.FieldError("Idempotency-Key", "send one key of 1–255 printable ASCII characters"))
			return
		}
		info.idempotencyKey = keys[0]
		sp, created, err := s.spoolBody(w, r, limit)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if created {
			defer sp.Close()
		}
		rec := &civicgrid.IdempotencyRecord{Scope: idempotencyScope(r), Key: keys[0], RequestHash: requestHash(r, sp)}
		prev, err := s.reserveIdempotency(r.Context(), rec)
		switch {
		case err != nil:
			if civicgrid.ErrorCodeOf(err) == civicgrid.Conflict {
				w.Header().Set("Retry-After", "1")
			}
			s.writeError(w, r, err)
		case prev != nil:
			if prev.ContentType != "" {
				w.Header().Set("Content-Type", prev.ContentType)
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prev.Status)
			_, _ = w.Write(prev.Body)
		default:
			s.serveAndRecord(w, r, next, rec)
		}
	})
}

// validIdempotencyKey reports whether k is 1–255 printable ASCII
// characters.
func validIdempotencyKey(k string) bool {
	if k == "" || len(k) > 255 {
		return false
	}
	for _, c := range []byte(k) {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// idempotencyScope names who sent r: the signed-in user, else the Open311
// api_key (hashed), else the client address.
func idempotencyScope(r *http.Request) string {
	info := requestInfoFrom(r.Context())
	switch {
	case info.userID != 0:
		return "user:" + strconv.FormatInt(int64(info.userID), 10)
	case info.apiKeyHash != "":
		return "apikey:" + info.apiKeyHash
	}
	return "ip:" + clientAddress(r)
}

// requestHash hashes what makes r the request it is: its method, its path
// and query, and its body. The parts of a multipart body are hashed rather
// than its bytes, so that a retry with a new boundary is the same request.
func requestHash(r *http.Request, sp *spool) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.RequestURI())
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	ph := sha256.New()
	if err == nil && mt == "multipart/form-data" && params["boundary"] != "" && hashParts(ph, multipart.NewReader(sp.reader(), params["boundary"])) == nil {
		fmt.Fprintf(h, "parts %x", ph.Sum(nil))
	} else {
		fmt.Fprintf(h, "body %x", sp.sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashParts writes each part's name, file name, type and content hash to h.
func hashParts(h hash.Hash, mr *multipart.Reader) error {
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		ch := sha256.New()
		if _, err := io.Copy(ch, p); err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %q %q %x\n", p.FormName(), p.FileName(), p.Header.Get("Content-Type"), ch.Sum(nil))
	}
}

// errInFlight answers a retry that comes while the first request is served.
var errInFlight = civicgrid.Errorf(civicgrid.Conflict, "a request with this Idempotency-Key is still being processed")

// reserveIdempotency reserves rec's key for this request and returns nil,
// or returns the record of the first request when its answer is to be
// given again. An error is the answer to give instead: 409, 422 or a
// storage failure.
func (s *Server) reserveIdempotency(ctx context.Context, rec *civicgrid.IdempotencyRecord) (*civicgrid.IdempotencyRecord, error) {
	for attempt := 0; ; attempt++ {
		var prev *civicgrid.IdempotencyRecord
		err := s.store.View(ctx, func(tx civicgrid.Tx) error {
			var err error
			prev, err = tx.FindIdempotency(ctx, rec.Scope, rec.Key)
			return err
		})
		now := s.now()
		switch {
		case civicgrid.ErrorCodeOf(err) == civicgrid.NotFound:
		case err != nil:
			return nil, err
		case now.Sub(prev.CreatedAt) >= IdempotencyTTL:
			// Expired but not yet purged: purge now and start afresh.
			if _, err := PurgeIdempotency(ctx, s.store, now); err != nil {
				return nil, err
			}
		case prev.Status == 0 && now.Sub(prev.CreatedAt) >= staleReservation:
			// Left by a process that died while serving it: start afresh.
			if err := s.store.Update(ctx, func(tx civicgrid.Tx) error { return tx.ReleaseIdempotency(ctx, prev.Scope, prev.Key) }); err != nil {
				return nil, err
			}
		case prev.RequestHash != rec.RequestHash:
			return nil, civicgrid.Errorf(civicgrid.Unprocessable, "Idempotency-Key reused for a different request")
		case prev.Status == 0:
			return nil, errInFlight
		default:
			return prev, nil
		}
		rec.CreatedAt = now
		err = s.store.Update(ctx, func(tx civicgrid.Tx) error { return tx.ReserveIdempotency(ctx, rec) })
		if civicgrid.ErrorCodeOf(err) == civicgrid.Conflict {
			if attempt == 0 {
				continue // another request with the key came in between: look at it
			}
			return nil, errInFlight
		}
		return nil, err
	}
}

// serveAndRecord runs next and keeps its answer under rec's reserved key,
// or releases the key when the answer is not to be kept.
func (s *Server) serveAndRecord(w http.ResponseWriter, r *http.Request, next http.Handler, rec *civicgrid.IdempotencyRecord) {
	cw := &captureWriter{ResponseWriter: w}
	answered := false
	defer func() {
		if !answered { // next panicked
			s.releaseIdempotency(r, rec)
		}
	}()
	next.ServeHTTP(cw, r)
	answered = true
	status := cw.status
	if status == 0 {
		status = http.StatusOK
	}
	keep := (status >= 200 && status < 300 || status >= 400 && status < 500) && status != http.StatusTooManyRequests
	if !keep || cw.overflow {
		s.releaseIdempotency(r, rec)
		return
	}
	rec.Status, rec.ContentType, rec.Body = status, cw.Header().Get("Content-Type"), cw.body.Bytes()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), recordTimeout)
	defer cancel()
	if err := s.store.Update(ctx, func(tx civicgrid.Tx) error { return tx.CompleteIdempotency(ctx, rec) }); err != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "idempotency: keep the answer",
			slog.String("request_id", requestInfoFrom(r.Context()).id), slog.String("error", err.Error()))
		s.releaseIdempotency(r, rec)
	}
}

// releaseIdempotency deletes rec's reservation, so that the client may
// retry.
func (s *Server) releaseIdempotency(r *http.Request, rec *civicgrid.IdempotencyRecord) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), recordTimeout)
	defer cancel()
	if err := s.store.Update(ctx, func(tx civicgrid.Tx) error { return tx.ReleaseIdempotency(ctx, rec.Scope, rec.Key) }); err != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "idempotency: release the key",
			slog.String("request_id", requestInfoFrom(r.Context()).id), slog.String("error", err.Error()))
	}
}

// captureWriter passes a response through and keeps a copy of it, up to
// maxReplayBytes.
type captureWriter struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	overflow bool
}

func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 && status >= 200 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.overflow {
		if w.body.Len()+len(b) > maxReplayBytes {
			w.overflow, w.body = true, bytes.Buffer{}
		} else {
			w.body.Write(b)
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *captureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// spool is a request body read once: in memory up to spoolMemory, beyond
// that in a temporary file. It knows the SHA-256 of the bytes.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	size int64
	h    hash.Hash
	sum  []byte
	err  error // a failure to write the temporary file
}

func (sp *spool) Write(p []byte) (int, error) {
	sp.h.Write(p)
	if sp.file == nil && sp.mem.Len()+len(p) <= spoolMemory {
		sp.size += int64(len(p))
		return sp.mem.Write(p)
	}
	if sp.file == nil {
		f, err := os.CreateTemp("", "civicgrid-body-*")
		if err != nil {
			sp.err = err
			return 0, err
		}
		sp.file = f
		if _, err := f.Write(sp.mem.Bytes()); err != nil {
			sp.err = err
			return 0, err
		}
		sp.mem = bytes.Buffer{}
	}
	n, err := sp.file.Write(p)
	sp.size += int64(n)
	if err != nil {
		sp.err = err
	}
	return n, err
}

// reader returns a reader of the whole body; each call starts afresh.
func (sp *spool) reader() io.Reader {
	if sp.file != nil {
		return io.NewSectionReader(sp.file, 0, sp.size)
	}
	return bytes.NewReader(sp.mem.Bytes())
}

// Close removes the temporary file, if any.
func (sp *spool) Close() error {
	if sp.file == nil {
		return nil
	}
	err := sp.file.Close()
	if rerr := os.Remove(sp.file.Name()); err == nil {
		err = rerr
	}
	return err
}

// spoolBody reads r's body once, at most limit bytes, and sets r.Body to
// read it again. A body already read for this request is returned again;
// created says whether this call read it, and so must Close it.
func (s *Server) spoolBody(w http.ResponseWriter, r *http.Request, limit int64) (*spool, bool, error) {
	info := requestInfoFrom(r.Context())
	if info.body != nil {
		r.Body = io.NopCloser(info.body.reader())
		return info.body, false, nil
	}
	if r.ContentLength > limit {
		return nil, false, bodyTooLarge(limit)
	}
	sp := &spool{h: sha256.New()}
	_, err := io.Copy(sp, http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		_ = sp.Close()
		switch {
		case sp.err != nil:
			return nil, false, fmt.Errorf("web: spool the request body: %w", sp.err)
		case errors.As(err, new(*http.MaxBytesError)):
			return nil, false, bodyTooLarge(limit)
		}
		return nil, false, &civicgrid.Error{Code: civicgrid.Invalid, Message: "the request body could not be read", Err: err}
	}
	sp.sum = sp.h.Sum(nil)
	info.body = sp
	r.Body = io.NopCloser(sp.reader())
	return sp, true, nil
}

func bodyTooLarge(limit int64) error {
	return civicgrid.Errorf(civicgrid.TooLarge, "the request body is larger than %d bytes", limit)
}

// formValue returns the value of the form field name in a urlencoded or
// multipart body, or "".
func formValue(r *http.Request, sp *spool, name string) string {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
	case mt == "application/x-www-form-urlencoded":
		data, _ := io.ReadAll(io.LimitReader(sp.reader(), maxJSONBytes))
		q, _ := url.ParseQuery(string(data)) // keeps what parses
		return q.Get(name)
	case mt == "multipart/form-data" && params["boundary"] != "":
		mr := multipart.NewReader(sp.reader(), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return ""
			}
			if p.FormName() == name && p.FileName() == "" {
				v, _ := io.ReadAll(io.LimitReader(p, 512))
				return string(v)
			}
		}
	}
	return ""
}

// open311Key finds the Open311 api_key of a request (in the query, or in
// the form of a POST when the per-key limit or an Idempotency-Key needs it)
// and applies the per-key limit to it. It does not check the key: the
// Open311 handler does.
func (s *Server) open311Key(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("api_key")
		if key == "" && r.Method == http.MethodPost && (s.perKey != nil || r.Header.Get("Idempotency-Key") != "") {
			sp, created, err := s.spoolBody(w, r, maxReportBytes)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if created {
				defer sp.Close()
			}
			key = formValue(r, sp, "api_key")
		}
		if key != "" {
			hash := civicgrid.HashToken(key)
			requestInfoFrom(r.Context()).apiKeyHash = hash
			if ok, wait := s.perKey.allow("apikey:" + hash); !ok {
				s.writeError(w, r, rateLimited(w, wait, "too many requests with this api_key; retry in %d s"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
