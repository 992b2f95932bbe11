// Command funclen lists the Go functions longer than a limit, counted in
// source lines from the func keyword to the closing brace (doc comments
// excluded). It skips files marked as generated ("Code generated ... DO
// NOT EDIT.") and functions whose body is a single return of a composite
// literal, which are tables rather than logic.
//
// Usage:
//
//	go run ./internal/tools/funclen [-over N] [-tests] DIR...
//
// Each offender is printed as "LINES PACKAGE FUNC FILE:LINE", longest
// first; the exit status is 1 when there is one, 0 otherwise.
package main

import (
	"cmp"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// offender is one function over the limit.
type offender struct {
	lines int
	pkg   string
	name  string
	pos   token.Position
}

func main() {
	over := flag.Int("over", 100, "report functions longer than this many lines")
	tests := flag.Bool("tests", false, "include _test.go files")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: funclen [-over N] [-tests] DIR...")
		flag.PrintDefaults()
	}
	flag.Parse()
	roots := flag.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	var found []offender
	for _, root := range roots {
		o, err := scan(root, *over, *tests)
		if err != nil {
			fmt.Fprintln(os.Stderr, "funclen:", err)
			os.Exit(2)
		}
		found = append(found, o...)
	}
	slices.SortFunc(found, func(a, b offender) int {
		if c := cmp.Compare(b.lines, a.lines); c != 0 {
			return c
		}
		return cmp.Compare(a.pos.String(), b.pos.String())
	})
	for _, o := range found {
		fmt.Printf("%d %s %s %s\n", o.lines, o.pkg, o.name, o.pos)
	}
	if len(found) > 0 {
		os.Exit(1)
	}
}

// scan walks root and returns the functions of its Go files over the
// limit. Directories named vendor, testdata or node_modules, and hidden
// ones, are skipped.
func scan(root string, over int, tests bool) ([]offender, error) {
	var found []offender
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "vendor" || name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || (!tests && strings.HasSuffix(path, "_test.go")) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("parse %s: %w", path, err)
		}
		if ast.IsGenerated(f) {
			return nil
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || isTable(fn) {
				continue
			}
			start := fset.Position(fn.Pos())
			lines := fset.Position(fn.End()).Line - start.Line + 1
			if lines > over {
				found = append(found, offender{lines: lines, pkg: f.Name.Name, name: funcName(fn), pos: start})
			}
		}
		return nil
	})
	return found, err
}

// isTable reports whether a function only returns a composite literal,
// a data table written as code.
func isTable(fn *ast.FuncDecl) bool {
	if len(fn.Body.List) != 1 {
		return false
	}
	ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return false
	}
	_, ok = ret.Results[0].(*ast.CompositeLit)
	return ok
}

// funcName is a function's name in gocognit's form: "(*T).M" for a
// method, "F" for a function.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	return "(" + recvType(fn.Recv.List[0].Type) + ")." + fn.Name.Name
}

// recvType renders a receiver type expression.
func recvType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return "*" + recvType(t.X)
	case *ast.IndexExpr:
		return recvType(t.X)
	case *ast.IndexListExpr:
		return recvType(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}
