// Package testpub is a simulated network of news publishers on loopback,
// for tests, the offline demo and benchmarks.
//
// A Network serves any number of Publishers from one listener on
// 127.0.0.1, telling them apart by the Host header: each publisher has its
// own host name under .localhost (which browsers resolve to loopback, so
// demo links work), its own feed in one of four formats (RSS 2.0, Atom 1.0,
// RSS 1.0/RDF, JSON Feed 1.1) and an HTML page per article wrapped in the
// boilerplate real news sites carry: navigation, cookie banners,
// advertisements, newsletter promotions, captions, related links.
// Network.Client and Network.DialContext route the network's host names to
// the listener; no traffic ever leaves 127.0.0.1.
//
// The articles are real: Corpus returns a committed sample of the reference
// tag pages, the BBC News data set and Reuters-21578 (see corpus/README.md
// for attribution and licences), which Demo and Synthetic re-date to any
// "now". Faults (slow responses, 5xx, 429, malformed feeds, wrong encodings,
// huge bodies, redirect loops, gone) can be switched per publisher while the
// network runs, and Network.Requests counts what was served.
package testpub
