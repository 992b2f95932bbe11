package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/net/netutil"
)

// This is the only file that imports Echo (style.md §5.9).

// Routes served by the bot.
const (
	PathMessages = "/api/messages"
	PathHealth   = "/healthz"
	PathReady    = "/readyz"
	PathMetrics  = "/metrics"
)

// readyTimeout bounds the Pinger call of /readyz.
const readyTimeout = time.Second

func (b *Bot) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Logger.SetOutput(io.Discard)
	e.HTTPErrorHandler = b.echoError
	e.Use(b.echoObserve, b.echoRecover)
	e.Any(PathMessages, echo.WrapHandler(http.HandlerFunc(b.serveMessages)))
	e.GET(PathHealth, func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET(PathReady, b.ready)
	e.GET(PathMetrics, echo.WrapHandler(promhttp.HandlerFor(b.registry, promhttp.HandlerOpts{})))
	return e
}

// readyBody is the JSON body of /readyz.
type readyBody struct {
	// Status is "ready", "not ready" or "shutting down".
	Status string `json:"status"`
	// Features lists the optional features that are on (WithFeatures).
	Features []string `json:"features"`
}

// ready is /readyz: 503 while draining or when the store does not answer.
func (b *Bot) ready(c echo.Context) error {
	body := readyBody{Status: "ready", Features: b.features}
	if body.Features == nil {
		body.Features = []string{}
	}
	if b.draining.Load() {
		body.Status = "shutting down"
		return c.JSON(http.StatusServiceUnavailable, body)
	}
	if b.pinger != nil {
		ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
		defer cancel()
		if err := b.pinger.Ping(ctx); err != nil {
			b.log.Warn("readiness check failed", "err", err)
			body.Status = "not ready"
			return c.JSON(http.StatusServiceUnavailable, body)
		}
	}
	return c.JSON(http.StatusOK, body)
}

// echoError answers Echo's own errors (404, 405, 500) with the status and no
// details.
func (b *Bot) echoError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code := http.StatusInternalServerError
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code = he.Code
	}
	if code >= 500 {
		b.log.Error("request failed", "path", c.Path(), "err", err)
	}
	_ = c.NoContent(code)
}

// echoObserve counts requests by route and final status.
func (b *Bot) echoObserve(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := next(c); err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		b.metrics.requests.WithLabelValues(route, codeLabel(c.Response().Status)).Inc()
		return nil
	}
}

// echoRecover turns a panic outside the turn middleware into a 500; the
// process keeps serving.
func (b *Bot) echoRecover(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				b.log.Error("request panicked", "path", c.Path(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = echo.NewHTTPError(http.StatusInternalServerError)
			}
		}()
		return next(c)
	}
}

// Run listens on Config.ListenAddr and serves until ctx is cancelled, then
// drains: it stops accepting, lets in-flight requests and turns finish
// (bounded by Config.ShutdownTimeout) and returns.
func (b *Bot) Run(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", b.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", b.cfg.ListenAddr, err)
	}
	return b.Serve(ctx, ln)
}

// ErrAlreadyServed is returned by a second call to Run or Serve.
var ErrAlreadyServed = errors.New("bot already served")

// Serve serves on ln (tests pass a 127.0.0.1:0 listener) like Run. In local
// mode a listener that is not loopback is refused. Serve closes ln.
func (b *Bot) Serve(ctx context.Context, ln net.Listener) error {
	first := false
	b.runOnce.Do(func() { first = true })
	if !first {
		_ = ln.Close()
		return ErrAlreadyServed
	}
	if b.cfg.LocalMode() {
		if err := checkLocalListenAddr(ln.Addr().String()); err != nil {
			_ = ln.Close()
			return fmt.Errorf("bot: %w", err)
		}
	}
	ln = netutil.LimitListener(ln, b.cfg.MaxConnections)
	srv := &http.Server{
		Handler:           b,
		ReadHeaderTimeout: b.cfg.ReadHeaderTimeout,
		ReadTimeout:       b.cfg.ReadTimeout,
		WriteTimeout:      b.cfg.WriteTimeout,
		IdleTimeout:       b.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	b.log.Info("bot listening", "addr", ln.Addr().String(), "local_mode", b.cfg.LocalMode())

	var serveErr error
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			serveErr = fmt.Errorf("serve: %w", err)
		}
	case <-ctx.Done():
	}
	return errors.Join(serveErr, b.drain(srv))
}

// drain shuts the server down, then waits for invoke handlers and
// asynchronous turns, all within ShutdownTimeout; past it, running turns see
// their ctx cancelled and the connections are closed.
func (b *Bot) drain(srv *http.Server) error {
	b.draining.Store(true)
	b.log.Info("bot shutting down: draining in-flight turns", "timeout", b.cfg.ShutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), b.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("shutdown http server: %w", err))
	}
	if err := b.invokes.Close(ctx); err != nil {
		errs = append(errs, fmt.Errorf("drain invokes: %w", err))
	}
	if err := b.workers.Close(ctx); err != nil {
		errs = append(errs, fmt.Errorf("drain turns: %w", err))
	}
	b.stopWork()
	if len(errs) > 0 {
		_ = srv.Close()
		b.log.Error("bot shutdown did not drain in time", "err", errors.Join(errs...))
		return errors.Join(errs...)
	}
	b.log.Info("bot stopped")
	return nil
}
