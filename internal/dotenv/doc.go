// Package dotenv reads environment files: KEY=VALUE lines as written for
// Docker's --env-file, systemd's EnvironmentFile= and the .env files of
// Compose and most dotenv libraries.
//
// The rules, one assignment per line:
//
//   - Blank lines and lines whose first non-blank character is # are
//     ignored. An optional "export " before the name is ignored too, so a
//     file can also be sourced by a shell.
//   - The name is a POSIX environment name: a letter or underscore, then
//     letters, digits and underscores. Spaces around the name and the =
//     are ignored.
//   - An unquoted value ends at the end of the line or at a # preceded by
//     a blank (a comment); spaces around it are removed. Nothing inside
//     is interpreted.
//   - A value in single quotes is taken literally, up to the closing
//     quote, which may be on a later line.
//   - A value in double quotes may span lines and knows the escapes \n,
//     \r, \t, \", \\ and \$ (any other backslash is kept as written).
//   - After a closing quote only blanks and a # comment may follow.
//   - Values are never expanded: $NAME and ${NAME} stay as written, as in
//     Docker's and Kubernetes' environment files.
//
// A later assignment of a name replaces an earlier one. Every error names
// the file and the line.
package dotenv
