package logs

import "bytes"

// The capture-mode tokens (Supervisor's ProcessCommunicationEvent).
var (
	beginToken = []byte("<!--XSUPERVISOR:BEGIN-->")
	endToken   = []byte("<!--XSUPERVISOR:END-->")
)

// prefixAtEnd returns the length of the longest proper prefix of token that
// data ends with (Supervisor's find_prefix_at_end).
func prefixAtEnd(data, token []byte) int {
	for l := min(len(token)-1, len(data)); l > 0; l-- {
		if bytes.Equal(data[len(data)-l:], token[:l]) {
			return l
		}
	}
	return 0
}

// ansiStripper removes ANSI escape sequences like Supervisor's stripEscapes:
// from ESC '[' up to and including the first of the terminator letters. Its
// state carries across chunks, so a sequence split between two reads is
// removed too (Supervisor only strips sequences within one read).
type ansiStripper struct {
	inSeq  bool // inside ESC [ … waiting for a terminator
	sawEsc bool // the previous chunk ended with ESC (held back)
}

var escByte = []byte{0x1b}

// ansiTerminator marks the bytes that end an escape sequence.
var ansiTerminator = func() (t [256]bool) {
	for _, c := range []byte("HfABCDRsuJKhlpm") {
		t[c] = true
	}
	return t
}()

// strip removes escape sequences from data in place and returns the result.
// held is an ESC held back from the previous chunk that turned out not to
// start a sequence: it comes before out.
func (s *ansiStripper) strip(data []byte) (held, out []byte) {
	if !s.inSeq && !s.sawEsc && bytes.IndexByte(data, 0x1b) < 0 {
		return nil, data
	}
	out = data[:0] // writes never overtake reads: safe in place
	i := 0
	if s.sawEsc {
		s.sawEsc = false
		if len(data) > 0 && data[0] == '[' {
			s.inSeq = true
			i = 1
		} else {
			held = escByte
		}
	}
	for i < len(data) {
		if s.inSeq {
			if ansiTerminator[data[i]] {
				s.inSeq = false
			}
			i++
			continue
		}
		j := bytes.IndexByte(data[i:], 0x1b)
		if j < 0 {
			out = append(out, data[i:]...)
			break
		}
		out = append(out, data[i:i+j]...)
		i += j
		switch {
		case i+1 == len(data):
			s.sawEsc = true // decide with the next chunk
			i++
		case data[i+1] == '[':
			s.inSeq = true
			i += 2
		default:
			out = append(out, 0x1b)
			i++
		}
	}
	return held, out
}

// flush returns the held-back ESC, if any, at end of input.
func (s *ansiStripper) flush() []byte {
	if s.sawEsc {
		s.sawEsc = false
		return escByte
	}
	return nil
}

// reset forgets any sequence in progress (at a capture-mode boundary).
func (s *ansiStripper) reset() []byte {
	s.inSeq = false
	return s.flush()
}
