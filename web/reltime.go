package web

import "time"

// DateLayout is how RelTime and the pages show a date too old (or too far
// ahead) for a relative time: day-month-year, as in "09-07-2025".
const DateLayout = "02-01-2006"

// RelTime describes t relative to now the way moment.js's fromNow does, with
// the reference pages' cut-off to a date:
//
//	now-t < 45s            "a few seconds ago" (also up to a minute in the future: clock skew)
//	45s  <= now-t < 90s    "a minute ago"
//	90s  <= now-t < 45m    "N minutes ago"  (N rounded, 2..44)
//	45m  <= now-t < 90m    "an hour ago"
//	90m  <= now-t < 22h    "N hours ago"    (N rounded, 2..21)
//	22h  <= now-t < 36h    "a day ago"
//	36h  <= now-t < 7d     "N days ago"     (N rounded, 2..6)
//	now-t >= 7d, or t more than a minute after now: t as DateLayout in now's location.
//
// N is clamped to the range shown so that a count never reaches the next
// unit's threshold ("45 minutes ago" would contradict "an hour ago" at 45m).
// RelTime is pure: it reads no clock.
func RelTime(t, now time.Time) string { return locales()["en"].relTime(t, now) }

// relTimeKey is the message of RelTime and its count: "" for a date.
func relTimeKey(t, now time.Time) (string, int) {
	d := now.Sub(t)
	switch {
	case d < -time.Minute || d >= 7*24*time.Hour:
		return "", 0
	case d < 45*time.Second:
		return "a few seconds ago", 0
	case d < 90*time.Second:
		return "a minute ago", 0
	case d < 45*time.Minute:
		return "%d minutes ago", roundIn(d, time.Minute, 2, 44)
	case d < 90*time.Minute:
		return "an hour ago", 0
	case d < 22*time.Hour:
		return "%d hours ago", roundIn(d, time.Hour, 2, 21)
	case d < 36*time.Hour:
		return "a day ago", 0
	default:
		return "%d days ago", roundIn(d, 24*time.Hour, 2, 6)
	}
}

// roundIn returns d in units, rounded half away from zero, clamped to [lo, hi].
func roundIn(d, unit time.Duration, lo, hi int) int {
	n := int(d.Round(unit) / unit)
	return min(max(n, lo), hi)
}
