package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The interface speaks English and Russian (the reference pages' subject
// is Russian politics). Messages are keyed by their English text, a
// format string; golang.org/x/text's catalog holds the Russian ones and
// the plural forms of both (Russian has one, few and many: "1 час",
// "2 часа", "5 часов").

// Languages are the interface's languages, the first the default.
var Languages = []language.Tag{language.English, language.Russian}

// langMatcher and locales are built on first use: building the catalogue
// at init would delay every command's start, most of which serve nothing.
var langMatcher = sync.OnceValue(func() language.Matcher { return language.NewMatcher(Languages) })

// locale is one language's printer and its code ("en", "ru").
type locale struct {
	Code    string
	Name    string // the language's own name, for the switch
	printer *message.Printer
}

var locales = sync.OnceValue(func() map[string]*locale {
	messages := buildCatalog()
	return map[string]*locale{
		"en": {Code: "en", Name: "English", printer: message.NewPrinter(language.English, message.Catalog(messages))},
		"ru": {Code: "ru", Name: "Русский", printer: message.NewPrinter(language.Russian, message.Catalog(messages))},
	}
})

// T translates a message, formatting args into it.
func (l *locale) T(key string, args ...any) string { return l.printer.Sprintf(key, args...) }

// Section translates a section's name where the catalog knows it; other
// names are the publishers' own and stay as they are.
func (l *locale) Section(name string) string {
	if l.Code == "ru" {
		if s, ok := ruSections[name]; ok {
			return s
		}
	}
	return name
}

// langCookie remembers the reader's choice from the switch.
const langCookie = "lang"

// pickLocale chooses the language of a request: ?lang=, then the cookie
// the switch set, then Accept-Language; anything outside the catalogue
// is English. A valid ?lang= is remembered in the cookie.
func pickLocale(w http.ResponseWriter, r *http.Request) *locale {
	if q := r.URL.Query().Get("lang"); q != "" {
		if l, ok := locales()[q]; ok {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
			return l
		}
		return locales()["en"]
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := locales()[c.Value]; ok {
			return l
		}
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return locales()["en"]
	}
	_, i, conf := langMatcher().Match(tags...)
	if conf == language.No {
		return locales()["en"]
	}
	return locales()[[]string{"en", "ru"}[i]]
}

type localeKey struct{}

func withLocale(ctx context.Context, l *locale) context.Context {
	return context.WithValue(ctx, localeKey{}, l)
}

// localeOf is the request's locale (English outside a request).
func localeOf(ctx context.Context) *locale {
	if l, ok := ctx.Value(localeKey{}).(*locale); ok {
		return l
	}
	return locales()["en"]
}

// relTime is RelTime in l's language.
func (l *locale) relTime(t, now time.Time) string {
	switch key, n := relTimeKey(t, now); {
	case key == "":
		return t.In(now.Location()).Format(DateLayout)
	case n == 0:
		return l.T(key)
	default:
		return l.T(key, n)
	}
}

var ruSections = map[string]string{
	"News": "Новости", "World": "Мир", "Politics": "Политика", "Business": "Экономика", "Technology": "Технологии",
	"Science": "Наука", "Sport": "Спорт", "Entertainment": "Культура", "Opinion": "Мнения", "Health": "Здоровье",
}

func buildCatalog() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	must := func(err error) {
		if err != nil {
			panic("web: message catalogue: " + err.Error())
		}
	}
	// Plurals: counts of minutes, hours, days, versions, sources, articles.
	for key, forms := range map[string][2][]string{
		"%d minutes ago":   {{"one", "%d minute ago", "other", "%d minutes ago"}, {"one", "%d минуту назад", "few", "%d минуты назад", "other", "%d минут назад"}},
		"%d hours ago":     {{"one", "%d hour ago", "other", "%d hours ago"}, {"one", "%d час назад", "few", "%d часа назад", "other", "%d часов назад"}},
		"%d days ago":      {{"one", "%d day ago", "other", "%d days ago"}, {"one", "%d день назад", "few", "%d дня назад", "other", "%d дней назад"}},
		"%d more versions": {{"one", "%d more version", "other", "%d more versions"}, {"one", "ещё %d версия", "few", "ещё %d версии", "other", "ещё %d версий"}},
		"%d sources":       {{"one", "%d source", "other", "%d sources"}, {"one", "%d источник", "few", "%d источника", "other", "%d источников"}},
		"%d articles":      {{"one", "%d article", "other", "%d articles"}, {"one", "%d статья", "few", "%d статьи", "other", "%d статей"}},
		"%d failures":      {{"one", "%d failure", "other", "%d failures"}, {"one", "%d сбой", "few", "%d сбоя", "other", "%d сбоев"}},
	} {
		must(b.Set(language.English, key, plural.Selectf(1, "%d", toAny(forms[0])...)))
		must(b.Set(language.Russian, key, plural.Selectf(1, "%d", toAny(forms[1])...)))
	}
	for en, ru := range ruMessages {
		must(b.SetString(language.Russian, en, ru))
	}
	return b
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// ruMessages are the Russian texts of the interface.
var ruMessages = map[string]string{
	// Relative times without a count.
	"a few seconds ago": "несколько секунд назад",
	"a minute ago":      "минуту назад",
	"an hour ago":       "час назад",
	"a day ago":         "день назад",

	// Layout.
	"Latest": "Последние", "Tags": "Теги", "Sources": "Источники", "Search": "Поиск", "Search news": "Поиск новостей",
	"Follow this page:": "Подписаться на эту страницу:", "Language": "Язык", "Site": "Сайт",

	// Lists.
	"No articles yet.": "Статей пока нет.", "← Newest": "← Новые", "Older →": "Старые →",
	"Latest news": "Последние новости", "Latest news with %s": "Последние новости с %s", "Latest news in %s": "Последние новости: %s",
	"Related tags": "Связанные теги", "Trending now": "Сейчас в тренде", "Top tags this week": "Главные теги недели",
	"Top stories of the day": "Главные сюжеты дня", "Sections": "Разделы",
	"Full coverage": "Все публикации", "Full coverage: %s": "Все публикации: %s",
	"Every version and every source of this story, newest first.": "Все версии и все источники этого сюжета, сначала новые.",
	"This source has no articles yet.":                            "У этого источника пока нет статей.",

	// Article.
	"Read here: %s": "Читать здесь: %s", "By %s": "Автор: %s", "Read the original at %s": "Оригинал: %s",
	"its picture": "иллюстрация", "Other versions of this text": "Другие версии этого текста",
	"The story in other sources": "Этот сюжет в других источниках",

	// Sources.
	"Source": "Источник", "Feed URL": "Адрес ленты", "Last fetch": "Последняя загрузка", "Status": "Состояние",
	"HTTP": "HTTP", "Error": "Ошибка", "Failures": "Сбои", "Next poll": "Следующий опрос", "Per day": "В день", "Articles": "Статьи",
	"Consecutive failures": "Сбои подряд", "Items a day seen in the feed": "Записей в день в ленте", "No sources yet.": "Источников пока нет.",
	"never": "никогда", "due": "сейчас", "never polled": "ещё не опрошен", "ok": "в порядке", "not_modified": "без изменений", "failed": "сбой",
	"its feed": "лента", "last fetch %s": "последняя загрузка %s", "%s items a day": "%s в день",

	// Search.
	"Search: %s": "Поиск: %s", "Find articles": "Найти статьи", "Most relevant": "Самые подходящие", "Newest": "Новые",
	"Order": "Порядок", "Save as topic": "Сохранить как тему", "Tag name": "Название тега", "Operator token": "Ключ оператора", "Save": "Сохранить",
	"This search does not parse at character %d: %s.": "Запрос не разобран с символа %d: %s.",

	// Tag directory.
	"Tags of the last month containing": "Теги последнего месяца, содержащие", "Filter": "Отобрать", "A–Z": "А–Я", "by count": "по числу",
	"Letters": "Буквы", "No tag of the last month contains “%s”.": "Ни один тег последнего месяца не содержит «%s».", "No tags yet.": "Тегов пока нет.",

	// Errors.
	"Back to the latest news": "К последним новостям",
	"Not Found":               "Не найдено", "Bad Request": "Неверный запрос", "Method Not Allowed": "Метод не разрешён",
	"Internal Server Error": "Внутренняя ошибка", "Forbidden": "Доступ запрещён",
	"No such article.": "Такой статьи нет.", "No such source.": "Такого источника нет.", "No such story.": "Такого сюжета нет.",
	"There is no section %s.":        "Раздела %s нет.",
	"There is no page at %s.":        "Страницы %s нет.",
	"No article carries the tag %s.": "Ни у одной статьи нет тега %s.",
	"The filter is too long.":        "Слишком длинный фильтр.",
	"This page can only be read.":    "Эту страницу можно только читать.",
	"This page link is malformed. Start again from the newest articles.": "Ссылка на страницу испорчена. Начните с новых статей.",
	"This page link is malformed. Start the search again.":               "Ссылка на страницу испорчена. Повторите поиск.",
	"Nothing is stored here.":                                            "Здесь ничего не хранится.",
	"The request was not understood.":                                    "Запрос не понят.",
	"Something went wrong on our side. Try again in a moment.":           "У нас что-то сломалось. Попробуйте через минуту.",
	"The feed could not be written.":                                     "Ленту не удалось составить.",
	"The search is not a valid rule: %s":                                 "Поиск не является правилом: %s",
	"This topic cannot be saved: %s":                                     "Эту тему нельзя сохранить: %s",
	"Topics are saved from a search page.":                               "Темы сохраняются со страницы поиска.",
	"Saving topics is turned off on this site.":                          "Сохранение тем на этом сайте выключено.",
	"This form could not be read.":                                       "Форму не удалось прочитать.",
	"The operator token is wrong.":                                       "Неверный ключ оператора.",
	"A topic needs a tag name.":                                          "Теме нужно название тега.",
}
