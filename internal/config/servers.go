package config

import (
	"errors"
	"os"
	"strings"

	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// serverSections returns the sections whose name starts with prefix (as
// Supervisor matches them: "inet_http_server", "inet_http_server:x", …).
func (l *loader) serverSections(prefix string) []string {
	var out []string
	for _, s := range l.parser.sections() {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// credentials reads username/password with Supervisor's pairing rule.
func (l *loader) credentials(section string) (string, string, error) {
	user, hasUser, err := l.get(section, "username", nil)
	if err != nil {
		return "", "", err
	}
	pass, hasPass, err := l.get(section, "password", nil)
	if err != nil {
		return "", "", err
	}
	if hasUser != hasPass {
		return "", "", errorf("Section [%s] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified", section)
	}
	return user, pass, nil
}

func (l *loader) inetServers() ([]InetHTTPServer, error) {
	var out []InetHTTPServer
	for _, section := range l.serverSections("inet_http_server") {
		s := InetHTTPServer{Section: section}
		var err error
		if s.Username, s.Password, err = l.credentials(section); err != nil {
			return nil, err
		}
		port, ok, err := l.get(section, "port", nil)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf("section [%s] has no port value", section)
		}
		if s.Host, s.Port, err = inetAddress(port); err != nil {
			return nil, err
		}
		if err := l.inetTLS(section, &s); err != nil {
			return nil, err
		}
		if s.MetricsAuth, err = l.metricsAuth(section); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// inetTLS reads the gsupervisor options of an [inet_http_server] section:
// certfile, keyfile, clientcafile (existing files; certfile and keyfile
// together; clientcafile only with them) and allow_no_auth. The values get
// here and ENV_ expansions; relative paths are resolved against the
// current directory.
func (l *loader) inetTLS(section string, s *InetHTTPServer) error {
	here := pyDict{"here": strOf(l.here)}
	files := []struct {
		opt string
		dst *string
	}{{"certfile", &s.CertFile}, {"keyfile", &s.KeyFile}, {"clientcafile", &s.ClientCAFile}}
	for _, f := range files {
		v, ok, err := l.get(section, f.opt, here)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		p := absPath(expandUser(v), l.cwd)
		st, err := os.Stat(p)
		if err != nil || st.IsDir() {
			return &Error{Msg: "section [" + section + "] " + f.opt + " " + v + " is not an existing file",
				Err: errors.Join(err, os.ErrNotExist)}
		}
		*f.dst = p
	}
	if (s.CertFile == "") != (s.KeyFile == "") {
		return errorf("Section [%s] contains incomplete TLS settings: If a certfile or a keyfile is specified, both the certfile and keyfile must be specified", section)
	}
	if s.ClientCAFile != "" && s.CertFile == "" {
		return errorf("Section [%s] sets clientcafile without certfile and keyfile", section)
	}
	v, err := l.getDefault(section, "allow_no_auth", "false", here)
	if err != nil {
		return err
	}
	if s.AllowNoAuth, err = boolean(v); err != nil {
		return errorf("%s in section [%s] allow_no_auth", err.Error(), section)
	}
	return nil
}

func (l *loader) unixServers() ([]UnixHTTPServer, error) {
	var out []UnixHTTPServer
	for _, section := range l.serverSections("unix_http_server") {
		s := UnixHTTPServer{Section: section, ChownUID: -1, ChownGID: -1, Chmod: 0o700}
		file, ok, err := l.get(section, "file", pyDict{"here": strOf(l.here)})
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf("section [%s] has no file value", section)
		}
		s.File = normalizePath(pytext.Strip(file), l.cwd)
		if s.Username, s.Password, err = l.credentials(section); err != nil {
			return nil, err
		}
		if v, ok, err := l.get(section, "chown", nil); err != nil {
			return nil, err
		} else if ok {
			if s.ChownUID, s.ChownGID, err = colonSeparatedUserGroup(v); err != nil {
				return nil, errorf("Invalid sockchown value %s", v)
			}
		}
		if v, ok, err := l.get(section, "chmod", nil); err != nil {
			return nil, err
		} else if ok {
			m, err := octalType(v)
			if err != nil {
				return nil, errorf("Invalid chmod value %s", v)
			}
			s.Chmod = uint32(m)
		}
		if s.MetricsAuth, err = l.metricsAuth(section); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// ctlDefaults are supervisorctl's values without a [supervisorctl] section.
func ctlDefaults() Supervisorctl {
	return Supervisorctl{ServerURL: "http://localhost:9001", Prompt: "supervisor"}
}

// LoadCtl reads what supervisorctl reads from the configuration file at
// path: the [supervisorctl] section (serverurl, username, password, prompt,
// history_file with their defaults and expansions; [include] is not
// processed, as in Supervisor). A file without the section gives
// ".ini file does not include supervisorctl section".
func LoadCtl(path string) (*Supervisorctl, error) {
	l, err := newLoader(path)
	if err != nil {
		return nil, asError(err)
	}
	// supervisorctl's here is computed from the normalized path.
	l.here = pyDirname(normalizePath(path, l.cwd))
	if err := l.readMain(); err != nil {
		return nil, asError(err)
	}
	if !l.parser.hasSection("supervisorctl") {
		return nil, errorf(".ini file does not include supervisorctl section")
	}
	ctl, err := l.ctlSection()
	if err != nil {
		return nil, asError(err)
	}
	if _, err := l.plugins("ctlplugin:", "supervisor.ctl_factory"); err != nil {
		return nil, asError(err)
	}
	return &ctl, nil
}

// ctlSection reads [supervisorctl] as ClientOptions.read_config does.
func (l *loader) ctlSection() (Supervisorctl, error) {
	const sec = "supervisorctl"
	ctl := ctlDefaults()
	here := pyDict{"here": strOf(l.here)}
	url, err := l.getDefault(sec, "serverurl", ctl.ServerURL, here)
	if err != nil {
		return ctl, err
	}
	if strings.HasPrefix(url, "unix://") {
		url = "unix://" + normalizePath(url[len("unix://"):], l.cwd)
	}
	ctl.ServerURL = url
	if ctl.Prompt, err = l.getDefault(sec, "prompt", ctl.Prompt, nil); err != nil {
		return ctl, err
	}
	if v, ok, err := l.get(sec, "username", nil); err != nil {
		return ctl, err
	} else if ok {
		ctl.Username = v
	}
	if v, ok, err := l.get(sec, "password", nil); err != nil {
		return ctl, err
	} else if ok {
		ctl.Password = v
	}
	if v, ok, err := l.get(sec, "history_file", here); err != nil {
		return ctl, err
	} else if ok && v != "" {
		ctl.HistoryFile = normalizePath(v, l.cwd)
	}
	if err := l.ctlTLS(&ctl); err != nil {
		return ctl, err
	}
	return ctl, nil
}

// ctlTLS reads gsupervisor's TLS options of [supervisorctl]: cafile,
// certfile and keyfile (existing files, here and ENV_ expansions, ~
// expanded, relative to the current directory; certfile and keyfile
// together), used when serverurl is https://.
func (l *loader) ctlTLS(ctl *Supervisorctl) error {
	const sec = "supervisorctl"
	here := pyDict{"here": strOf(l.here)}
	files := []struct {
		opt string
		dst *string
	}{{"cafile", &ctl.CAFile}, {"certfile", &ctl.CertFile}, {"keyfile", &ctl.KeyFile}}
	for _, f := range files {
		v, ok, err := l.get(sec, f.opt, here)
		if err != nil {
			return err
		}
		if !ok || v == "" {
			continue
		}
		p := absPath(expandUser(v), l.cwd)
		st, err := os.Stat(p)
		if err != nil || st.IsDir() {
			return &Error{Msg: "section [" + sec + "] " + f.opt + " " + v + " is not an existing file",
				Err: errors.Join(err, os.ErrNotExist)}
		}
		*f.dst = p
	}
	if (ctl.CertFile == "") != (ctl.KeyFile == "") {
		return errorf("Section [%s] contains incomplete TLS settings: If a certfile or a keyfile is specified, both the certfile and keyfile must be specified", sec)
	}
	return nil
}

// ctlLenient is the [supervisorctl] section for Config.Ctl: supervisord
// never reads that section, so problems in it fall back to the defaults
// instead of failing the daemon's configuration.
func (l *loader) ctlLenient() Supervisorctl {
	if !l.parser.hasSection("supervisorctl") {
		return ctlDefaults()
	}
	ctl, err := l.ctlSection()
	if err != nil {
		return ctlDefaults()
	}
	return ctl
}
