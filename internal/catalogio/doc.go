// Package catalogio holds the catalog's bulk operations and command-line
// formats: the import of page files into a store with its JSON summary, the
// export line of a record, the diff of two page sets, search and diff
// outputs, and the terminal view of a record. cmd/attestbot prints them.
package catalogio
