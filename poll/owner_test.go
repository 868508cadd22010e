package poll

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

func TestOwnerGone(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no procfs")
	}
	host, _ := os.Hostname()
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep command:", err)
	}
	pid := cmd.Process.Pid
	live := ownerOf(pid)
	if _, _, start, ok := parseOwner(live); !ok || start == 0 {
		t.Fatalf("owner %q has no start time", live)
	}
	if ownerGone(live) {
		t.Errorf("ownerGone(%q) of a running process = true", live)
	}
	if !ownerGone(fmt.Sprintf("%s:%d:%d", host, pid, 12345)) {
		t.Errorf("a running pid with another start time (a reused pid) is not gone")
	}
	if ownerGone(OwnerName()) {
		t.Errorf("this process is gone to itself")
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if !ownerGone(live) {
		t.Errorf("ownerGone(%q) after kill = false", live)
	}
	for _, o := range []string{
		"elsewhere.example:" + fmt.Sprint(pid) + ":1", // another host: its lease expires
		"poller", host + ":" + fmt.Sprint(pid), host + ":x:1", "",
	} {
		if ownerGone(o) {
			t.Errorf("ownerGone(%q) = true, want false", o)
		}
	}
}
