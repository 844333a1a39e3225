package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/chzyer/readline"
	"golang.org/x/term"

	gsupervisorv1 "github.com/gsupervisor/gsupervisor/gen/go/gsupervisor/v1"
	"github.com/gsupervisor/gsupervisor/internal/pytext"
)

// lineReader reads what the user types: shell lines, confirmations,
// credentials and fg input. Both methods return io.EOF at the end of the
// input and errInterrupted on Ctrl-C.
type lineReader interface {
	readLine(ctx context.Context, prompt string) (string, error)
	readPassword(ctx context.Context, prompt string) (string, error)
}

// plainReader reads lines from a pipe or file (or a terminal outside the
// shell), writing prompts without a newline as Python's input() does. One
// goroutine reads ahead at most one line, so a read can be abandoned on
// Ctrl-C without losing or stealing input.
type plainReader struct {
	in     *os.File
	out    io.Writer
	errOut io.Writer

	once  sync.Once
	lines chan lineResult
	want  chan struct{}
	// idle receives Ctrl-C while no command runs.
	idle <-chan struct{}
}

type lineResult struct {
	line string
	err  error
}

func newPlainReader(in *os.File, out, errOut io.Writer) *plainReader {
	return &plainReader{in: in, out: out, errOut: errOut}
}

func (p *plainReader) start() {
	p.once.Do(func() {
		p.lines = make(chan lineResult)
		p.want = make(chan struct{})
		go func() {
			r := bufio.NewReader(p.in)
			for range p.want {
				s, err := r.ReadString('\n')
				if err == nil || (errors.Is(err, io.EOF) && s != "") {
					p.lines <- lineResult{line: strings.TrimSuffix(s, "\n")}
					continue
				}
				p.lines <- lineResult{err: io.EOF}
			}
		}()
	})
}

func (p *plainReader) readLine(ctx context.Context, prompt string) (string, error) {
	if prompt != "" {
		_, _ = io.WriteString(p.out, prompt)
	}
	p.start()
	select {
	case p.want <- struct{}{}:
	case <-ctx.Done():
		return "", errInterrupted
	case <-p.idle:
		return "", errInterrupted
	}
	select {
	case r := <-p.lines:
		return r.line, r.err
	case <-ctx.Done():
		// The line being read is dropped by the next read's request
		// pairing; keep the reader consistent by draining it later.
		go func() { <-p.lines }()
		return "", errInterrupted
	case <-p.idle:
		go func() { <-p.lines }()
		return "", errInterrupted
	}
}

func (p *plainReader) readPassword(ctx context.Context, prompt string) (string, error) {
	if term.IsTerminal(int(p.in.Fd())) {
		_, _ = io.WriteString(p.out, prompt)
		b, err := term.ReadPassword(int(p.in.Fd()))
		_, _ = io.WriteString(p.out, "\n")
		if err != nil {
			return "", io.EOF
		}
		return string(b), nil
	}
	// Like getpass without a terminal: the prompt goes to stderr.
	_, _ = io.WriteString(p.errOut, prompt)
	return p.readLine(ctx, "")
}

// rlReader reads with readline in a terminal shell: editing, history and
// completion.
//
// readline sees Ctrl-C as a byte only while it reads (the terminal is raw
// then); pressed a moment before, the terminal turns it into SIGINT,
// which cancels the command's context or fills idle. readLine watches
// both and wakes readline with interruptRune through stdin, which the
// input filter turns into Ctrl-C for the read that was interrupted and
// drops when it arrives late.
type rlReader struct {
	rl    *readline.Instance
	stdin *injectableStdin
	// idle receives Ctrl-C while no command runs.
	idle <-chan struct{}
	// armed is set while an injected interruptRune stands for Ctrl-C.
	armed atomic.Bool
}

// interruptRune is a private-use code point that stands for a Ctrl-C
// that arrived as a signal.
const interruptRune = '\uF8FF'

// newRLReader opens readline on stdin and out; cfg gives the rest of the
// configuration.
func newRLReader(cfg *readline.Config, stdin *os.File) (*rlReader, error) {
	r := &rlReader{stdin: newInjectableStdin(stdin)}
	cfg.Stdin = r.stdin
	cfg.FuncFilterInputRune = r.filter
	rl, err := readline.NewEx(cfg)
	if err != nil {
		return nil, err
	}
	r.rl = rl
	return r, nil
}

// filter turns an armed interruptRune into Ctrl-C and drops a stale one.
func (r *rlReader) filter(c rune) (rune, bool) {
	if c != interruptRune {
		return c, true
	}
	if r.armed.CompareAndSwap(true, false) {
		return readline.CharInterrupt, true
	}
	return 0, false
}

// close ends readline, also when its terminal loop waits for input.
func (r *rlReader) close() {
	_ = r.stdin.Close()
	_ = r.rl.Close()
}

func (r *rlReader) readLine(ctx context.Context, prompt string) (string, error) {
	select {
	case <-ctx.Done():
		return "", errInterrupted
	case <-r.idle:
		return "", errInterrupted
	default:
	}
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-ctx.Done():
		case <-r.idle:
		case <-done:
			return
		}
		r.armed.Store(true)
		r.stdin.inject()
	}()
	r.rl.SetPrompt(prompt)
	line, err := r.rl.Readline()
	close(done)
	<-watched
	r.armed.Store(false)
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return "", errInterrupted
	case err != nil:
		return "", io.EOF
	case ctx.Err() != nil:
		return "", errInterrupted
	}
	return line, nil
}

func (r *rlReader) readPassword(ctx context.Context, prompt string) (string, error) {
	b, err := r.rl.ReadPassword(prompt)
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return "", errInterrupted
	case err != nil:
		return "", io.EOF
	}
	return string(b), nil
}

// injectableStdin is readline's input: the terminal's bytes, read ahead
// by one chunk, and an interruptRune on demand that wakes a blocked read.
type injectableStdin struct {
	chunks    chan []byte
	wake      chan struct{}
	stop      chan struct{}
	closeOnce sync.Once
	pending   []byte
}

func newInjectableStdin(in *os.File) *injectableStdin {
	s := &injectableStdin{chunks: make(chan []byte), wake: make(chan struct{}, 1), stop: make(chan struct{})}
	go func() {
		defer close(s.chunks)
		for {
			b := make([]byte, 1024)
			n, err := in.Read(b)
			if n > 0 {
				select {
				case s.chunks <- b[:n]:
				case <-s.stop:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

// inject queues one interruptRune (at most one is pending).
func (s *injectableStdin) inject() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Read returns pending terminal bytes, or waits for more or for an
// injected interruptRune.
func (s *injectableStdin) Read(p []byte) (int, error) {
	if len(s.pending) == 0 {
		select {
		case b, ok := <-s.chunks:
			if !ok {
				return 0, io.EOF
			}
			s.pending = b
		case <-s.wake:
			return utf8.EncodeRune(p, interruptRune), nil
		case <-s.stop:
			return 0, io.EOF
		}
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

// Close ends a waiting and every later Read with io.EOF; the terminal
// itself stays open for the process.
func (s *injectableStdin) Close() error {
	s.closeOnce.Do(func() { close(s.stop) })
	return nil
}

// interrupter delivers Ctrl-C (SIGINT) to the running command by
// cancelling its context, or to a pending read when none runs.
type interrupter struct {
	mu     sync.Mutex
	cancel context.CancelCauseFunc
	idle   chan struct{}
	// interrupted records that a command was interrupted without handling
	// it (one-shot mode then exits 130; the shell ends).
	interrupted bool
}

func newInterrupter() *interrupter { return &interrupter{idle: make(chan struct{}, 1)} }

// begin returns the context of a command that Ctrl-C cancels.
func (i *interrupter) begin(parent context.Context) (context.Context, context.CancelCauseFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	i.mu.Lock()
	i.cancel = cancel
	select {
	case <-i.idle:
	default:
	}
	i.mu.Unlock()
	return ctx, cancel
}

// end marks the command finished.
func (i *interrupter) end(cancel context.CancelCauseFunc) {
	i.mu.Lock()
	i.cancel = nil
	i.mu.Unlock()
	cancel(nil)
}

// fire delivers one Ctrl-C.
func (i *interrupter) fire() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.cancel != nil {
		i.cancel(errInterrupted)
		return
	}
	select {
	case i.idle <- struct{}{}:
	default:
	}
}

// watch turns SIGINT into fire() until the returned function is called.
func (i *interrupter) watch() func() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-sigs:
				i.fire()
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// completionTimeout bounds the process list request behind a TAB.
const completionTimeout = 5 * time.Second

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// readlineDelims are GNU readline's default completer word delimiters
// less ":", "*" and "-", as 4.2.5 sets them.
const readlineDelims = " \t\n`~!@#$%^&()=+[{]}\\|;'\",<>/?"

// completer is readline's tab completion, 4.2.5's complete().
type completer struct{ c *controller }

// Do returns the completions of the word before the cursor.
func (k completer) Do(line []rune, pos int) ([][]rune, int) {
	start := pos
	for start > 0 && !strings.ContainsRune(readlineDelims, line[start-1]) {
		start--
	}
	text := string(line[start:pos])
	var out [][]rune
	for _, m := range k.c.complete(text, string(line)) {
		out = append(out, []rune(m[len(text):]))
	}
	return out, len([]rune(text))
}

// complete returns the completions of text (the word being completed) in
// line (the whole input), 4.2.5's rules: an action first; then process
// names for process commands, group names for add/remove/update and action
// names for help. Every completion ends with a space.
func (c *controller) complete(text, line string) []string {
	var matches []string
	words := pytext.Split(line)
	switch {
	case pytext.Strip(line) == "":
		matches = c.completeActions(text)
	case len(words) == 1 && !strings.HasSuffix(line, " "):
		matches = c.completeActions(text)
	case strings.Contains("help", words[0]):
		// 4.2.5 tests `action in ('help')`, a substring test.
		matches = c.completeActions(text)
	case words[0] == "add" || words[0] == "remove" || words[0] == "update":
		matches = c.completeGroups(text)
	case inList(words[0], "clear", "fg", "pid", "restart", "signal", "start", "status", "stop", "tail", "wait"):
		matches = c.completeProcesses(text)
	}
	return matches
}

func inList(s string, list ...string) bool {
	for _, l := range list {
		if s == l {
			return true
		}
	}
	return false
}

func (c *controller) completeActions(text string) []string {
	var out []string
	for _, a := range c.vocabulary() {
		if strings.HasPrefix(a, text) {
			out = append(out, a+" ")
		}
	}
	return out
}

func (c *controller) completeGroups(text string) []string {
	var groups, out []string
	for _, info := range c.completionInfo() {
		if !inList(info.GetGroup(), groups...) {
			groups = append(groups, info.GetGroup())
		}
	}
	for _, g := range groups {
		if strings.HasPrefix(g, text) {
			out = append(out, g+" ")
		}
	}
	return out
}

func (c *controller) completeProcesses(text string) []string {
	var procs, out []string
	for _, info := range c.completionInfo() {
		if strings.Contains(text, ":") || info.GetName() != info.GetGroup() {
			procs = append(procs, info.GetGroup()+":"+info.GetName())
			if g := info.GetGroup() + ":*"; !inList(g, procs...) {
				procs = append(procs, g)
			}
		} else {
			procs = append(procs, info.GetName())
		}
	}
	for _, p := range procs {
		if strings.HasPrefix(p, text) {
			out = append(out, p+" ")
		}
	}
	return out
}

// completionInfo returns the process list, cached until the next command
// (readline asks many times for one TAB).
func (c *controller) completionInfo() []*gsupervisorv1.ProcessInfo {
	if c.completeInfo != nil {
		return c.completeInfo
	}
	cl, err := dial(c.srv)
	if err != nil {
		return nil
	}
	defer cl.close()
	ctx, cancel := context.WithTimeout(context.Background(), completionTimeout)
	defer cancel()
	resp, err := cl.procs.ListProcesses(ctx, &gsupervisorv1.ListProcessesRequest{})
	if err != nil {
		return nil
	}
	c.completeInfo = resp.GetProcesses()
	return c.completeInfo
}

// shell is the interactive loop: "status" first, then one command per
// line until quit, exit, end of input or Ctrl-C at the prompt. With a
// terminal, lines are read with readline (editing, history file, TAB
// completion); otherwise the prompt is written and a line read.
func (c *controller) shell(ctx context.Context, stdin *os.File) {
	prompt := c.opts.prompt + "> "
	if isTerminal(stdin) && isTerminal(c.out) {
		r, err := newRLReader(&readline.Config{
			Prompt:            prompt,
			HistoryFile:       c.opts.historyFile,
			AutoComplete:      completer{c: c},
			HistorySearchFold: true,
			Stdout:            c.out,
			Stderr:            c.errOut,
		}, stdin)
		if err == nil {
			defer r.close()
			c.out = r.rl.Stdout()
			c.root.SetOut(c.out)
			r.idle = c.intr.idle
			c.in = r
		}
	}
	if p, ok := c.in.(*plainReader); ok {
		p.idle = c.intr.idle
	}
	c.onecmd(ctx, "status")
	for !c.stop && !c.intr.interrupted {
		line, err := c.in.readLine(ctx, prompt)
		switch {
		case errors.Is(err, errInterrupted):
			c.output("")
			return
		case err != nil:
			line = "EOF"
		}
		c.onecmd(ctx, line)
	}
	if c.intr.interrupted {
		c.output("")
	}
}
