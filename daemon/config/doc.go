// Package config reads a Supervisor 4.2.5 supervisord.conf into a typed,
// validated Config.
//
// The file is parsed with gopkg.in/ini.v1 using Python configparser's rules
// as Supervisor applies them (inline comments only after whitespace,
// continuation lines, merged duplicate sections, case-sensitive section
// names, lower-cased keys, [DEFAULT] inheritance). Values are read raw and
// expanded with Supervisor's own %(name)s formatting, never ini.v1's. The
// package does no I/O beyond reading configuration files and looking up
// users, groups and paths it has to validate; error messages name the file,
// section, option and value as Supervisor's do.
package config
