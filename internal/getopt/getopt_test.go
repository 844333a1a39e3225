package getopt

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	short := "c:nhu:"
	long := []string{"configuration=", "nodaemon", "help", "user=", "umask="}
	cases := []struct {
		args []string
		opts []Option
		rest []string
		err  string
	}{
		{args: []string{"-c", "f", "-n"}, opts: []Option{{"-c", "f"}, {"-n", ""}}},
		{args: []string{"-ncf"}, opts: []Option{{"-n", ""}, {"-c", "f"}}},
		{args: []string{"--configuration=f", "--nodaemon"}, opts: []Option{{"--configuration", "f"}, {"--nodaemon", ""}}},
		{args: []string{"--config", "f"}, opts: []Option{{"--configuration", "f"}}},
		{args: []string{"-n", "x", "-c"}, opts: []Option{{"-n", ""}}, rest: []string{"x", "-c"}},
		{args: []string{"-n", "--", "-c"}, opts: []Option{{"-n", ""}}, rest: []string{"-c"}},
		{args: []string{"-Z"}, err: "option -Z not recognized"},
		{args: []string{"-c"}, err: "option -c requires argument"},
		{args: []string{"--configuration"}, err: "option --configuration requires argument"},
		{args: []string{"--nodaemon=1"}, err: "option --nodaemon must not have an argument"},
		{args: []string{"--u"}, err: "option --u not a unique prefix"},
		{args: []string{"--bogus"}, err: "option --bogus not recognized"},
		{args: []string{"-:"}, err: "option -: not recognized"},
	}
	for _, c := range cases {
		opts, rest, err := Parse(c.args, short, long)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("Parse(%q) error = %v, want %q", c.args, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", c.args, err)
			continue
		}
		if !reflect.DeepEqual(opts, c.opts) || !reflect.DeepEqual(rest, c.rest) {
			t.Errorf("Parse(%q) = %v, %q; want %v, %q", c.args, opts, rest, c.opts, c.rest)
		}
	}
}
