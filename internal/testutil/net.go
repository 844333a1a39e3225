package testutil

import (
	"encoding/base64"
	"net"
	"testing"
)

// BasicAuth returns the value of an Authorization header with HTTP Basic
// credentials.
func BasicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// FreePorts returns n distinct loopback TCP ports that were free a moment
// ago (for a configuration that must name its port).
func FreePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports
}
