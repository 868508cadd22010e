package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRussianRelTime(t *testing.T) {
	now := time.Date(2025, 7, 22, 12, 0, 0, 0, time.UTC)
	ru := locales()["ru"]
	for _, tt := range []struct {
		ago  time.Duration
		want string
	}{
		{10 * time.Second, "несколько секунд назад"},
		{time.Minute, "минуту назад"},
		{2 * time.Minute, "2 минуты назад"},
		{5 * time.Minute, "5 минут назад"},
		{21 * time.Minute, "21 минуту назад"},
		{22 * time.Minute, "22 минуты назад"},
		{25 * time.Minute, "25 минут назад"},
		{time.Hour, "час назад"},
		{2 * time.Hour, "2 часа назад"},
		{5 * time.Hour, "5 часов назад"},
		{11 * time.Hour, "11 часов назад"},
		{21 * time.Hour, "21 час назад"},
		{24 * time.Hour, "день назад"},
		{2 * 24 * time.Hour, "2 дня назад"},
		{5 * 24 * time.Hour, "5 дней назад"},
		{6 * 24 * time.Hour, "6 дней назад"},
		{13 * 24 * time.Hour, "09-07-2025"},
	} {
		if got := ru.relTime(now.Add(-tt.ago), now); got != tt.want {
			t.Errorf("ru relTime(%s ago) = %q, want %q", tt.ago, got, tt.want)
		}
	}
}

func TestPickLocale(t *testing.T) {
	for _, tt := range []struct {
		target, accept, cookie, want string
	}{
		{"/", "", "", "en"},
		{"/", "ru-RU,ru;q=0.9,en;q=0.8", "", "ru"},
		{"/", "de-DE,de;q=0.9", "", "en"},
		{"/", "uk,ru;q=0.8", "", "ru"},
		{"/", "garbage;;;q=x", "", "en"},
		{"/?lang=ru", "en", "", "ru"},
		{"/?lang=en", "ru", "", "en"},
		{"/?lang=xx", "ru", "", "en"}, // outside the catalogue: English
		{"/", "en", "ru", "ru"},       // the switch's choice wins over the header
		{"/", "ru", "zz", "ru"},       // a bad cookie is ignored
	} {
		r := httptest.NewRequest(http.MethodGet, tt.target, nil)
		if tt.accept != "" {
			r.Header.Set("Accept-Language", tt.accept)
		}
		if tt.cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: tt.cookie})
		}
		w := httptest.NewRecorder()
		if got := pickLocale(w, r).Code; got != tt.want {
			t.Errorf("pickLocale(%s, Accept-Language %q, cookie %q) = %s, want %s", tt.target, tt.accept, tt.cookie, got, tt.want)
		}
		if tt.target == "/?lang=ru" && w.Header().Get("Set-Cookie") == "" {
			t.Errorf("?lang=ru does not remember the choice")
		}
	}
}
