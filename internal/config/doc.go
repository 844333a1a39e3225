// Package config reads a Supervisor 4.2.5 supervisord.conf into a typed,
// validated Config.
//
// Load gives what supervisord 4.2.5 would run: every section and option,
// its defaults, its %(name)s expansions, its validation and its exact error
// texts (Error.Error() is the text supervisord prints after "Error: ").
// LoadCtl gives what supervisorctl reads, Find the file used without -c,
// and Diff, OptionChanges and Revision compare two parses for update. The
// package does no I/O beyond reading configuration files and looking up the
// users, groups and paths it has to validate.
//
// # File model: gopkg.in/ini.v1 fed by configparser's line grammar
//
// Supervisor reads the file with Python's configparser.RawConfigParser
// (inline_comment_prefixes=(';', '#'), strict=False). ini.v1 holds the
// model: sections in order of first appearance, case-sensitive section
// names, lower-cased option names, [DEFAULT] as ini.v1's default section
// (consulted when a section lacks an option), values read raw with
// Key.Value() and never through Key.String() (ini.v1's %(x)s interpolation
// is not Supervisor's). The lines themselves are not handed to ini.v1's
// parser, because its grammar differs from configparser's in ways no
// LoadOptions combination turns off, and each difference changes what a
// real supervisord.conf means:
//
//   - inline comments: configparser only starts one at ';' or '#' preceded
//     by whitespace, and searches the two prefixes in rounds, so
//     `x#1 #2 ;3` keeps "x#1 #2"; ini.v1 with SpaceBeforeInlineComment
//     keeps "x#1";
//   - ini.v1 joins a line ending in a backslash with the next one and
//     strips backticks and triple quotes around values; Supervisor keeps
//     them verbatim (they matter to command= and environment=);
//   - continuation lines: configparser continues a value on any line
//     indented deeper than the option line, strips each piece, keeps blank
//     lines inside the value and skips full-line comments within it;
//     ini.v1's AllowPythonMultilineValues keeps the indentation and fails
//     on a blank line inside a value;
//   - section headers run from the first '[' to the last ']' with anything
//     after it ignored; option names end at the first '=' or ':';
//   - errors: a line before any section header is fatal with configparser's
//     exact "File contains no section headers." text, and lines without a
//     delimiter are collected into one "Source contains parsing errors"
//     message; ini.v1 reports "key-value delimiter not found" instead;
//   - universal newlines (\r\n and \r) as Python's text files.
//
// So readString (pyini.go) applies configparser._read's rules line by line
// and stores each section and joined value in the ini.v1 File through its
// API (NewSection, NewKey); ChildSectionDelimiter is set to "\n" so that
// ini.v1 never treats "program:a.b" as a child of "program:a". Duplicate
// sections, in one file or across included files, merge with later values
// winning, as with strict=False. The [include] %(here)s pre-pass (the
// literal "%(here)s" replaced in every section after each file is read) is
// done on that model.
//
// # Expansion and values
//
// Values are expanded with a port of Python's str % dict (pyformat.go):
// every flag, width, precision and conversion, and Python's error texts,
// which Supervisor embeds in its "Format string ... is badly formatted"
// message. The names available to each option, the order in which options
// are read (which decides which error a file with several problems gets),
// the double expansion of [supervisord] environment= and of log file names,
// and the per-process mutation of the expansion dictionary are Supervisor's.
// environment= is tokenised with a port of Python's non-POSIX shlex and
// command lines are split (SplitCommand) with a port of the POSIX one.
// [include] globs follow Python's glob (hidden files, "[!...]").
//
// # Deliberate differences from 4.2.5
//
//   - Paths are made absolute at parse time against the current directory
//     (child log files, childlogdir, directory), where Supervisor keeps some
//     relative and resolves them later, possibly after chdir.
//   - Python entry points cannot be imported: [rpcinterface:x] and
//     [ctlplugin:x] are checked (factory key, expansions) and recorded;
//     an eventlistener result_handler other than Supervisor's default is
//     rejected with the "cannot be resolved" error.
//   - Integers must fit 64 bits; a file that is not UTF-8 is an error rather
//     than a Python traceback.
//   - OptionChanges (and so Diff) treats a switch between AUTO and an
//     explicit log file as a change; 4.2.5 skips AUTO when comparing.
//   - gsupervisor options: [supervisord] events_retained (int >= 1, default
//     10000) and events_retained_bytes (byte size >= 1, default 16MB);
//     program sections restart_burst (int >= 0, default 5) and
//     restart_interval (seconds >= 0, default 1; 0 disables the floor);
//     [inet_http_server] certfile, keyfile, clientcafile (existing
//     files, certfile and keyfile together) and allow_no_auth (boolean).
package config
