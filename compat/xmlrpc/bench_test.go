package xmlrpc

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkDecodeCall decodes a typical supervisorctl request
// (tailProcessStdoutLog with three parameters, as Python sends it).
func BenchmarkDecodeCall(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "observed", "req_tailProcessStdoutLog.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeCall(bytes.NewReader(body), 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeLargeStruct decodes a struct of 2,000 and of 20,000
// members with repeated names: the time per member must stay the same
// (linear time).
func BenchmarkDecodeLargeStruct(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		body := largeStructCall(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := DecodeCall(strings.NewReader(body), 0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/member")
		})
	}
}

// BenchmarkDecodeCallMulticall decodes the captured system.multicall request.
func BenchmarkDecodeCallMulticall(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "observed", "req_multicall.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeCall(bytes.NewReader(body), 0); err != nil {
			b.Fatal(err)
		}
	}
}

// allProcessInfo is a getAllProcessInfo result of n processes.
func allProcessInfo(n int) []any {
	v := make([]any, n)
	for i := range v {
		v[i] = processInfo(i)
	}
	return v
}

// BenchmarkEncodeAllProcessInfo encodes a getAllProcessInfo response of 1000
// structs of 14 members into a reused buffer (AppendResponse).
func BenchmarkEncodeAllProcessInfo(b *testing.B) {
	v := allProcessInfo(1000)
	buf, err := AppendResponse(nil, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = AppendResponse(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeResponseAllProcessInfo encodes the same response through
// EncodeResponse to an io.Writer (pooled buffer, one Write).
func BenchmarkEncodeResponseAllProcessInfo(b *testing.B) {
	v := allProcessInfo(1000)
	buf, err := AppendResponse(nil, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if err := EncodeResponse(io.Discard, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeAllProcessInfoFresh encodes into a new buffer every time
// (AppendResponse(nil, ...)), the cost without any reuse.
func BenchmarkEncodeAllProcessInfoFresh(b *testing.B) {
	v := allProcessInfo(1000)
	buf, err := AppendResponse(nil, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AppendResponse(nil, v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeResponseAllProcessInfo decodes the 1000-struct response
// (the client side: tools and tests).
func BenchmarkDecodeResponseAllProcessInfo(b *testing.B) {
	body, err := AppendResponse(nil, allProcessInfo(1000))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeResponse(bytes.NewReader(body), 0); err != nil {
			b.Fatal(err)
		}
	}
}

// logText is 64 KiB of typical log output: ASCII lines of about 80 bytes.
func logText() string {
	var b bytes.Buffer
	for i := 0; b.Len() < 64<<10; i++ {
		b.WriteString("2026-11-21 07:38:11,123 INFO worker_017 processed request id=")
		b.WriteString(strconv.Itoa(i * 7919))
		b.WriteString(" in 12ms status=ok\n")
	}
	return b.String()[:64<<10]
}

// BenchmarkEncodeLogTail encodes a tailProcessStdoutLog response carrying
// 64 KiB of log text.
func BenchmarkEncodeLogTail(b *testing.B) {
	v := []any{logText(), 1 << 20, false}
	buf, err := AppendResponse(nil, v)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = AppendResponse(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}
