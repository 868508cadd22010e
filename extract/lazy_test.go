package extract

import (
	"strings"
	"testing"
)

func TestUnbounded(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"from zero", `^a.{0,120}$`, `^a.*$`},
		{"from one", `x{1,4}`, `x+`},
		{"from more", `[\d\s]{2,30}`, `[\d\s]{2,}`},
		{"exact and open repeats kept", `\w{2,}y{3}z{12,}`, `\w{2,}y{3}z{12,}`},
		{"not a repeat", `{,3}a{b,2}`, `{,3}a{b,2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unbounded(tt.in); got != tt.want {
				t.Errorf("unbounded(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestBoundedRegexp checks that the bounded patterns match exactly what
// their compiled expressions match, near their bounds and past them.
func TestBoundedRegexp(t *testing.T) {
	var in []string
	for _, head := range []string{"Share this", "Follow us on ", "Subscribe to", "Read more", "Tags:", "Related stories:",
		"Sign up for our", "Photo credit:", "Copyright ©", "Previous post", "Weiterlesen", "Jetzt abonnieren"} {
		for _, n := range []int{0, 39, 40, 41, 59, 60, 61, 119, 120, 121, 199, 200, 201, 400} {
			tail := strings.Repeat("x", n)
			in = append(in, head+tail, head+" newsletter "+tail+" subscribe", "Our cookies "+tail+" accept"+tail,
				tail+" newsletter "+tail+" free", head+tail+"\n", "try it "+tail+" free for 30 days")
		}
	}
	for _, p := range []struct {
		name string
		re   *boundedRegexp
	}{{"junkLine", junkLine}, {"junkParagraph", junkParagraph}} {
		matched := 0
		for _, s := range in {
			want := p.re.exact().MatchString(s)
			if got := p.re.MatchString(s); got != want {
				t.Errorf("%s.MatchString(%q) = %v, want %v", p.name, s, got, want)
			}
			if want {
				matched++
			}
		}
		if matched == 0 || matched == len(in) {
			t.Errorf("%s matched %d of %d inputs: the test does not probe the bounds", p.name, matched, len(in))
		}
	}
}
