package config

import (
	"os"
	"path/filepath"
	"testing"
)

// The fuzz targets check that no input makes the parsers panic; their seed
// corpus runs with the normal tests.

func FuzzPyPercent(f *testing.F) {
	for _, c := range formatCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = pyPercent(s, formatDict)
	})
}

func FuzzReadString(f *testing.F) {
	for _, c := range differentialCases {
		f.Add(c.conf)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = newRawParser().readString(s, "fuzz.conf")
	})
}

func FuzzShlex(f *testing.F) {
	for _, c := range append(append([]string{}, splitCases...), envCases...) {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = SplitCommand(s)
		_, _ = dictOfKeyValuePairs(s)
	})
}

func FuzzDatatypes(f *testing.F) {
	for _, cases := range datatypeCases {
		for _, c := range cases {
			f.Add(c)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = integer(s)
		_, _ = byteSize(s)
		_, _ = octalType(s)
		_, _ = signalNumber(s)
		_, _ = listOfExitcodes(s)
		_, _ = autoRestart(s)
		_, _, _ = inetAddress(s)
		_, _ = processOrGroupName(s)
		compileFnmatch(s).match([]rune(s))
	})
}

// FuzzLoad runs whole files (with a valid [supervisord] section prepended)
// through Load.
func FuzzLoad(f *testing.F) {
	for _, c := range differentialCases {
		f.Add(c.conf)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		p := filepath.Join(dir, "fuzz.conf")
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(p, Overrides{})
		if err == nil {
			_ = cfg.Revision()
			_, _, _ = Diff(cfg.Groups, cfg.Groups)
		}
	})
}
