package extract

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"ad label paragraph", []string{"First.", "Advertisement", "Second."}, "First.\n\nSecond."},
		{"ad label inline (reference page)",
			[]string{"Neglect that stretches to the South Caucasus. Advertisement Driven by President Vladimir Putin's fantasies, Russia plunged."},
			"Neglect that stretches to the South Caucasus. Driven by President Vladimir Putin's fantasies, Russia plunged."},
		{"photo credit inline",
			[]string{"Investigators work the scene where Yaroslav Moskalik was killed. ( AP Photo ) It said the general was killed."},
			"Investigators work the scene where Yaroslav Moskalik was killed. It said the general was killed."},
		{"agency credit with a colon (a caption's remains)",
			[]string{"Putin attends a meeting with the envoy in Moscow. ( Reuters: ) Trump's envoy meets Putin."},
			"Putin attends a meeting with the envoy in Moscow. Trump's envoy meets Putin."},
		{"agency credit naming the photographer",
			[]string{"They must accept a painful solution. ( Reuters: Valentyn Ogirenko ) One of the scenarios is open."},
			"They must accept a painful solution. One of the scenarios is open."},
		{"a parenthesis that only mentions an agency stays",
			[]string{"The figures (Reuters reported them first, citing three sources in the ministry of finance) were revised."},
			"The figures (Reuters reported them first, citing three sources in the ministry of finance) were revised."},
		{"empty credit",
			[]string{"Moscow had not signed up to a ceasefire in Ukraine. Credit: After the talks, he spoke."},
			"Moscow had not signed up to a ceasefire in Ukraine. After the talks, he spoke."},
		{"subscription pitch",
			[]string{"'It is Russian attacks.' Broaden your horizons with award-winning British journalism. Try The Telegraph free for 1 month with unlimited access to our award-winning website, exclusive app, money-saving offers and more. The envoy left."},
			"'It is Russian attacks.' The envoy left."},
		{"newsletter paragraph", []string{"Text.", "Sign up to our morning newsletter for the day's top stories", "More."}, "Text.\n\nMore."},
		{"wire placeholder", []string{"Story.", "TO FOLLOW"}, "Story."},
		{"words that only look like junk stay", []string{"Credit Suisse said advertising revenue fell.", "Ad hoc talks resumed."}, "Credit Suisse said advertising revenue fell.\n\nAd hoc talks resumed."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFragment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>One &amp; two.</p><p>Three<br>four.</p>", "One & two.\n\nThree four."},
		{"plain text", "plain text"},
		{"<script>alert(1)</script><p>kept</p>", "kept"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fragment(tt.in); got != tt.want {
			t.Errorf("Fragment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanTrailingLabels(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{"ad label ends paragraph", []string{"Putin offered to help broker a peace deal Advertisement"}, "Putin offered to help broker a peace deal"},
		{"ad label before capital", []string{"He visited Kursk. Advertisement Appearing on television, he spoke."}, "He visited Kursk. Appearing on television, he spoke."},
		{"wire placeholder ends paragraph", []string{"Moscow confirmed its readiness to continue the TO FOLLOW"}, "Moscow confirmed its readiness to continue the"},
		{"the word in a sentence stays", []string{"The Advertisement Standards Authority ruled on Monday."}, "The Advertisement Standards Authority ruled on Monday."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
