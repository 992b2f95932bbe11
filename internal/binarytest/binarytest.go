// Package binarytest builds the real attestbot binary once per test binary
// and runs it in tests: `serve` on a free loopback port with a clean
// environment, waiting for /readyz, with its logs captured, stopped with
// SIGTERM at cleanup; or any other command run to completion.
//
// A test package that uses it calls [Main] from its TestMain so that the
// built binary is removed when the tests end:
//
//	func TestMain(m *testing.M) { binarytest.Main(m) }
package binarytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Timeouts of a started server.
const (
	// ReadyTimeout bounds the wait for /readyz to answer 200.
	ReadyTimeout = 30 * time.Second
	// StopTimeout bounds the wait after SIGTERM before the process is killed.
	StopTimeout = 15 * time.Second
)

var (
	buildOnce sync.Once
	buildDir  string
	buildPath string
	buildErr  error
)

// Main runs the tests and removes the binary built for them.
func Main(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// EnvBinary names an environment variable that, when set, is the path of
// an already built attestbot binary to run instead of building one (CI
// builds it once for every test package).
const EnvBinary = "ATTESTBOT_TEST_BINARY"

// Binary returns the path of the attestbot binary built from this module's
// ./cmd/attestbot, building it on the first call of the test binary, or the
// binary named by ATTESTBOT_TEST_BINARY.
func Binary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		if p := os.Getenv(EnvBinary); p != "" {
			if _, err := os.Stat(p); err != nil {
				buildErr = fmt.Errorf("%s: %w", EnvBinary, err)
			}
			buildPath = p
			return
		}
		buildPath, buildErr = build()
	})
	if buildErr != nil {
		tb.Fatalf("binarytest: %v", buildErr)
	}
	return buildPath
}

func build() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	buildDir, err = os.MkdirTemp("", "attestbot-binarytest-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(buildDir, "attestbot")
	// No symbol table or DWARF: the tests need neither, and the link is faster.
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", bin, "./cmd/attestbot")
	cmd.Dir = filepath.Dir(mod)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/attestbot: %w\n%s", err, out)
	}
	return bin, nil
}

// baseEnv is what every run inherits from the test process: nothing that
// configures attestbot, so that only the test's settings count.
func baseEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// Server is a running `attestbot serve`.
type Server struct {
	// Addr is the listen address (127.0.0.1:PORT) and URL its http base.
	Addr string
	URL  string

	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
	err  error // the process's exit, once done is closed

	stopOnce sync.Once
}

// Options are the optional settings of [Start].
type Options struct {
	// Dir is the working directory (default a new temporary directory, so
	// that the default bbolt store lands there).
	Dir string
	// Args are passed after "serve".
	Args []string
}

// Start runs `attestbot serve` with env (NAME=value entries; PATH and HOME
// are inherited, ATTESTBOT_LISTEN is set to a free port unless env sets
// it) and waits until /readyz answers 200. It fails tb if the process exits
// or is not ready in time, printing its logs. The server is stopped with
// SIGTERM at cleanup.
func Start(tb testing.TB, env []string, opts Options) *Server {
	tb.Helper()
	s, err := StartE(tb, env, opts)
	if err != nil {
		tb.Fatalf("binarytest: %v", err)
	}
	return s
}

// StartE is [Start] returning the error instead of failing tb (the server,
// when not nil, is stopped at cleanup either way).
func StartE(tb testing.TB, env []string, opts Options) (*Server, error) {
	tb.Helper()
	for attempt := 1; ; attempt++ {
		s, err := startOnce(tb, env, opts)
		// A free port taken by another process between FreePort and the
		// bot's listen: try another one.
		if err != nil && attempt < 3 && s != nil && strings.Contains(s.Logs(), "address already in use") {
			continue
		}
		return s, err
	}
}

func startOnce(tb testing.TB, env []string, opts Options) (*Server, error) {
	tb.Helper()
	bin := Binary(tb)
	dir := opts.Dir
	if dir == "" {
		dir = tb.TempDir()
	}
	addr := ""
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "ATTESTBOT_LISTEN="); ok {
			addr = v
		}
	}
	if addr == "" {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		addr = fmt.Sprintf("127.0.0.1:%d", port)
		env = append(env[:len(env):len(env)], "ATTESTBOT_LISTEN="+addr)
	}
	s := &Server{Addr: addr, URL: "http://" + addr, logs: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve"}, opts.Args...)...)
	s.cmd.Dir = dir
	s.cmd.Env = append(baseEnv(), env...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	setParentDeathSignal(s.cmd)
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Logf("binarytest: stop: %v\n%s", err, s.Logs())
		}
	})
	if err := s.waitReady(ReadyTimeout); err != nil {
		return s, fmt.Errorf("%w\n--- attestbot logs ---\n%s", err, s.Logs())
	}
	return s, nil
}

// waitReady polls /readyz until it answers 200, the process exits or the
// timeout passes.
func (s *Server) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case <-s.done:
			return fmt.Errorf("attestbot serve exited before it was ready: %v", s.err)
		default:
		}
		resp, err := client.Get(s.URL + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("attestbot serve not ready after %s (last: %v)", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// MessagesURL is the bot's /api/messages endpoint.
func (s *Server) MessagesURL() string { return s.URL + "/api/messages" }

// Ready returns /readyz's status code and decoded JSON body.
func (s *Server) Ready(ctx context.Context) (int, map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/readyz", nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var body map[string]any
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("/readyz body %q: %w", raw, err)
	}
	return resp.StatusCode, body, nil
}

// Logs returns everything the process wrote so far.
func (s *Server) Logs() string { return s.logs.String() }

// LogRecords returns the JSON log lines written so far (run with
// ATTESTBOT_LOG_FORMAT=json); other lines are skipped.
func (s *Server) LogRecords() []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(s.Logs(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil {
			out = append(out, rec)
		}
	}
	return out
}

// Stop sends SIGTERM and waits for the exit (killing the process after
// StopTimeout). It returns the exit error, nil for a clean exit; calling it
// again returns nil.
func (s *Server) Stop() error {
	var err error
	s.stopOnce.Do(func() {
		select {
		case <-s.done:
			err = s.err
			return
		default:
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
			err = s.err
		case <-time.After(StopTimeout):
			_ = s.cmd.Process.Kill()
			<-s.done
			err = fmt.Errorf("no exit %s after SIGTERM: killed", StopTimeout)
		}
	})
	return err
}

// Run runs the binary with args and env to completion (at most a minute)
// and returns its exit code and combined output.
func Run(tb testing.TB, env []string, args ...string) (int, string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, Binary(tb), args...)
	cmd.Dir = tb.TempDir()
	cmd.Env = append(baseEnv(), env...)
	setParentDeathSignal(cmd)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	}
	tb.Fatalf("binarytest: run %v: %v\n%s", args, err, out)
	return -1, ""
}

// FreePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer is a bytes.Buffer safe for the process's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
