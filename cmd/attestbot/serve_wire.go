package main

import (
	"context"
	"errors"
)

func runServe(ctx context.Context, a *app) error { return errors.New("serve: not wired yet") }
