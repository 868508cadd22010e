package poll

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// A lease's owner names the process that holds it: "host:pid:start", the
// start being the process's start time in seconds since the epoch as the
// kernel records it. A process that finds leases of its own host whose
// process is gone, or whose pid now belongs to a process started at
// another time, releases them at once instead of waiting out the lease: a
// poller killed and restarted by its supervisor loses no time.

// OwnerName names this process in leases.
func OwnerName() string { return ownerOf(os.Getpid()) }

func ownerOf(pid int) string {
	host, _ := os.Hostname()
	start, _ := processStart(pid)
	return fmt.Sprintf("%s:%d:%d", host, pid, start)
}

// ownerGone reports whether owner names a process of this host that is no
// longer running. Owners of other hosts, in another form, or whose liveness
// cannot be read (no /proc) are never gone: their leases expire.
func ownerGone(owner string) bool {
	host, pid, start, ok := parseOwner(owner)
	if !ok || pid == os.Getpid() {
		return false
	}
	if h, _ := os.Hostname(); h == "" || h != host {
		return false
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return false // no procfs: nothing to tell by
	}
	got, alive := processStart(pid)
	if !alive {
		return true
	}
	return start != 0 && got != 0 && got != start
}

func parseOwner(owner string) (host string, pid int, start int64, ok bool) {
	parts := strings.Split(owner, ":")
	if len(parts) < 3 {
		return "", 0, 0, false
	}
	n := len(parts)
	pid, err1 := strconv.Atoi(parts[n-2])
	start, err2 := strconv.ParseInt(parts[n-1], 10, 64)
	if err1 != nil || err2 != nil || pid <= 0 {
		return "", 0, 0, false
	}
	return strings.Join(parts[:n-2], ":"), pid, start, true
}

// processStart returns the start time of process pid in seconds since the
// epoch (0 if procfs does not say), and whether the process exists.
func processStart(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: fields count from
	// after its closing parenthesis. starttime is field 22, in clock ticks
	// since boot (USER_HZ, 100 on Linux).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, true
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 20 {
		return 0, true
	}
	if fields[0] == "Z" || fields[0] == "X" {
		return 0, false // a zombie holds no leases
	}
	ticks, err := strconv.ParseInt(fields[19], 10, 64)
	boot := bootTime()
	if err != nil || boot == 0 {
		return 0, true
	}
	return boot + ticks/100, true
}

var bootTime = sync.OnceValue(func() int64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
})

// ReclaimGone releases the leases of this host's processes that are gone
// (see OwnerName) and returns how many sources it released.
func (p *Poller) ReclaimGone(ctx context.Context) (int64, error) {
	owners, err := p.store.ClaimOwners(ctx, p.opts.Now())
	if err != nil {
		return 0, err
	}
	var total int64
	for _, o := range owners {
		if o == p.opts.Owner || !ownerGone(o) {
			continue
		}
		n, err := p.store.ReleaseClaims(ctx, o)
		if err != nil {
			return total, err
		}
		p.opts.Logger.Info("released the leases of a process that is gone", "owner", o, "sources", n)
		total += n
	}
	return total, nil
}
