// Package redistest starts real redis-server processes for tests: a plain
// server, a one-node Cluster or a Sentinel, each on a free loopback port
// with its own temporary directory, stopped at test cleanup.
//
// If redis-server is not installed, the test is skipped with a message;
// when the environment variable CI is non-empty it fails instead, so that a
// CI image without Redis cannot pass silently.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTimeout bounds the wait for a server to answer PING.
const startTimeout = 10 * time.Second

// Server is one running redis-server process.
type Server struct {
	bin    string
	dir    string
	port   int
	mode   mode
	master string // sentinel: monitored master name
	extra  []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

type mode int

const (
	modePlain mode = iota
	modeCluster
	modeSentinel
)

// Start starts a plain redis-server (no persistence) on a free port of
// 127.0.0.1 and stops it when tb ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	return start(tb, &Server{mode: modePlain})
}

// StartCluster starts a one-node Redis Cluster that owns all 16384 slots
// and waits until the cluster state is ok. A one-node cluster still checks
// that multi-key commands stay within one slot (CROSSSLOT).
func StartCluster(tb testing.TB) *Server {
	tb.Helper()
	s := start(tb, &Server{mode: modeCluster})
	if _, err := Do(s.Addr(), "CLUSTER", "ADDSLOTSRANGE", "0", "16383"); err != nil {
		tb.Fatalf("redistest: assign cluster slots: %v", err)
	}
	deadline := time.Now().Add(startTimeout)
	for {
		info, err := Do(s.Addr(), "CLUSTER", "INFO")
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			return s
		}
		if time.Now().After(deadline) {
			tb.Fatalf("redistest: cluster state not ok after %s: %v %s", startTimeout, err, info)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// StartSentinel starts a Sentinel that monitors master under masterName,
// and waits until it knows the master's address.
func StartSentinel(tb testing.TB, master *Server, masterName string) *Server {
	tb.Helper()
	s := start(tb, &Server{mode: modeSentinel, master: masterName, extra: []string{master.Addr()}})
	deadline := time.Now().Add(startTimeout)
	for {
		reply, err := Do(s.Addr(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName)
		if err == nil && reply != "" {
			return s
		}
		if time.Now().After(deadline) {
			tb.Fatalf("redistest: sentinel does not know master %s: %v", masterName, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Port returns the server's port.
func (s *Server) Port() int { return s.port }

// URL returns a store URL for the server: redis://, redis+cluster:// or
// redis+sentinel://...?master=name.
func (s *Server) URL() string {
	switch s.mode {
	case modeCluster:
		return "redis+cluster://" + s.Addr()
	case modeSentinel:
		return "redis+sentinel://" + s.Addr() + "?master=" + s.master
	default:
		return "redis://" + s.Addr()
	}
}

// Stop kills the server (SIGKILL, like a crash) and waits for it to exit.
// It is safe to call more than once.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

func (s *Server) stopLocked() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Restart stops the server if it runs and starts it again on the same
// port and directory (without persistence, a plain server comes back
// empty; a cluster node keeps its slots in nodes.conf).
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
	var err error
	for range 20 { // the old socket may linger for a moment
		if err = s.launchLocked(); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("redistest: restart on port %d: %v", s.port, err)
}

func start(tb testing.TB, s *Server) *Server {
	tb.Helper()
	s.bin = binary(tb)
	s.dir = tb.TempDir()
	var err error
	for range 5 { // another process may take the free port first
		s.port, err = freePort()
		if err != nil {
			continue
		}
		s.mu.Lock()
		err = s.launchLocked()
		s.mu.Unlock()
		if err == nil {
			tb.Cleanup(s.Stop)
			return s
		}
	}
	tb.Fatalf("redistest: start redis-server: %v", err)
	return nil
}

func binary(tb testing.TB) string {
	tb.Helper()
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p
	}
	const fallback = "/usr/bin/redis-server"
	if _, err := os.Stat(fallback); err == nil {
		return fallback
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("redistest: redis-server is not installed (not in PATH nor %s) and CI is set: install redis-server so the Redis tests run", fallback)
	}
	tb.Skipf("redistest: redis-server is not installed (not in PATH nor %s); skipping the Redis tests (they fail instead when CI is set)", fallback)
	return ""
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// launchLocked starts the process and waits until it answers PING.
func (s *Server) launchLocked() error {
	port := strconv.Itoa(s.port)
	var args []string
	switch s.mode {
	case modeSentinel:
		host, mport, _ := net.SplitHostPort(s.extra[0])
		conf := filepath.Join(s.dir, "sentinel.conf")
		if _, err := os.Stat(conf); errors.Is(err, os.ErrNotExist) {
			text := fmt.Sprintf("port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor %s %s %s 1\nsentinel down-after-milliseconds %s 1000\n",
				port, s.dir, s.master, host, mport, s.master)
			if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
				return err
			}
		}
		args = []string{conf, "--sentinel"}
	default:
		args = []string{"--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", s.dir}
		if s.mode == modeCluster {
			args = append(args, "--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(s.dir, "nodes.conf"))
		}
	}
	logf, err := os.OpenFile(filepath.Join(s.dir, "redis.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(s.bin, args...)
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	setParentDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-done:
			return fmt.Errorf("redis-server on port %s exited at start: %s", port, s.logTail())
		default:
		}
		if reply, err := Do(s.Addr(), "PING"); err == nil && reply == "PONG" {
			s.cmd, s.done = cmd, done
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server on port %s did not answer PING within %s: %s", port, startTimeout, s.logTail())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// Do sends one command to addr over a new connection and returns the
// reply: a simple or bulk string, an integer as text, or the elements of
// an array of bulk strings joined by newlines. A Redis error reply is
// returned as an error.
func Do(addr string, args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(conn, b.String()); err != nil {
		return "", err
	}
	return readReply(bufio.NewReader(conn))
}

func readReply(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("empty reply")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", errors.New(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return "", err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return "", err
		}
		parts := make([]string, 0, n)
		for range n {
			p, err := readReply(r)
			if err != nil {
				return "", err
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, "\n"), nil
	default:
		return "", fmt.Errorf("unexpected reply %q", line)
	}
}
