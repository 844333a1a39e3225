// Package getopt parses command lines the way Python's getopt module does,
// which is what supervisord and supervisorctl 4.2.5 use: combined short
// options (-nc file), short options with attached values (-cfile), long
// options with `=value` or a separate value, unique prefixes of long
// options (--config), and the same error texts ("option -Z not
// recognized", "option -c requires argument", …). Parsing stops at the
// first non-option argument or at "--".
package getopt
