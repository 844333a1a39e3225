package logs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"

	"github.com/gsupervisor/gsupervisor/internal/errdefs"
)

// Read returns bytes of the log file with the semantics of Supervisor's
// readProcessLog / readLog:
//
//   - offset >= 0, length > 0: up to length bytes from offset ("" past EOF);
//   - offset >= 0, length == 0: from offset to the end of the file;
//   - offset < 0, length == 0: the last -offset bytes (the whole file if
//     shorter);
//   - offset < 0 with length != 0, or length < 0: BAD_ARGUMENTS.
//
// A missing file is NO_FILE (with the path); a file that cannot be read is
// FAILED. Bytes are returned as they are (no UTF-8 decoding).
func (f *File) Read(offset, length int64) ([]byte, error) {
	if err := f.readable(); err != nil {
		return nil, err
	}
	if f.devNull {
		if offset < 0 && length != 0 || offset >= 0 && length < 0 {
			return nil, errdefs.New(errdefs.BadArguments, "")
		}
		return []byte{}, nil
	}
	return ReadPath(f.cfg.Path, offset, length)
}

// ReadPath is Read for a file name (the main log of another daemon
// instance, a log whose File is closed).
func ReadPath(path string, offset, length int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errdefs.New(errdefs.NoFile, "%s", path)
		}
		return nil, errdefs.Wrap(errdefs.Failed, err, "")
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, errdefs.Wrap(errdefs.Failed, err, "")
	}
	size := st.Size()
	var start, n int64
	switch {
	case offset < 0:
		if length != 0 {
			return nil, errdefs.New(errdefs.BadArguments, "")
		}
		start = max(size+offset, 0)
		n = size - start
	case length < 0:
		return nil, errdefs.New(errdefs.BadArguments, "")
	case offset >= size:
		return []byte{}, nil
	case length == 0:
		start, n = offset, size-offset
	default:
		start, n = offset, min(length, size-offset)
	}
	return readAt(fh, start, n)
}

// readAt reads up to n bytes at off (fewer if the file shrank meanwhile).
func readAt(fh *os.File, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	m, err := fh.ReadAt(buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, errdefs.Wrap(errdefs.Failed, fmt.Errorf("read %s: %w", fh.Name(), err), "")
	}
	return buf[:m], nil
}

// Tail implements Supervisor's tailProcessLog exactly. With sz the file
// size: overflow is sz > offset+length; data is the last min(length, sz)
// bytes whenever offset < sz (not the bytes at offset), nothing when offset
// >= sz or length <= 0; newOffset is sz. A missing file gives ("", 0, false)
// and no error, like Supervisor.
func (f *File) Tail(offset, length int64) (data []byte, newOffset int64, overflow bool, err error) {
	if err := f.readable(); err != nil {
		return nil, 0, false, err
	}
	if f.devNull {
		return []byte{}, 0, false, nil
	}
	return TailPath(f.cfg.Path, offset, length)
}

// TailPath is Tail for a file name.
func TailPath(path string, offset, length int64) (data []byte, newOffset int64, overflow bool, err error) {
	fh, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return []byte{}, 0, false, nil
		}
		return []byte{}, offset, false, nil // Supervisor: ['', offset, False]
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return []byte{}, offset, false, nil
	}
	sz := st.Size()
	start, n, overflow := tailRange(sz, offset, length)
	if n == 0 {
		return []byte{}, sz, overflow, nil
	}
	data, err = readAt(fh, start, n)
	if err != nil {
		return []byte{}, offset, false, nil
	}
	return data, sz, overflow, nil
}

// tailRange is the arithmetic of Supervisor's tailFile: it returns where to
// read, how much, and the overflow flag, for a file of size sz.
// Python's integers are unbounded; here the sums saturate at the int64
// limits instead of wrapping, which gives Python's answers.
func tailRange(sz, offset, length int64) (start, n int64, overflow bool) {
	if sz > saturatingAdd(offset, length) {
		overflow = true
		offset = sz - 1
	}
	if saturatingAdd(offset, length) > sz {
		if offset > sz-1 {
			length = 0
		}
		offset = sz - length // here 0 <= length, so no overflow
	}
	if offset < 0 {
		offset = 0
	}
	if length < 0 {
		length = 0
	}
	// Python's read(length) stops at EOF.
	return offset, max(min(length, sz-offset), 0), overflow
}

// saturatingAdd is a+b clamped to [math.MinInt64, math.MaxInt64].
func saturatingAdd(a, b int64) int64 {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}

// readable returns the error for reading a stream target.
func (f *File) readable() error {
	if f.stream != nil && !f.devNull {
		return errdefs.New(errdefs.NoFile, "%s (not a regular file, cannot be read)", f.cfg.Path)
	}
	return nil
}
