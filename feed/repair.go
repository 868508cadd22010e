package feed

import "bytes"

// repairTruncated recovers the complete items of a document cut off in
// the middle (a dropped connection, a full disk at the publisher): it keeps
// everything up to the last closed item or entry and closes the elements
// that contain it. It returns nil when there is nothing to recover.
func repairTruncated(data []byte) []byte {
	type shape struct{ end, closers string }
	for _, s := range []shape{
		{"</item>", "</channel></rss>"},
		{"</entry>", "</feed>"},
	} {
		i := bytes.LastIndex(data, []byte(s.end))
		if i < 0 {
			continue
		}
		cut := data[:i+len(s.end)]
		switch {
		case bytes.Contains(data, []byte("<rdf:RDF")):
			// RSS 1.0 items are siblings of the channel.
			return append(append([]byte{}, cut...), "</rdf:RDF>"...)
		case s.end == "</item>" && !bytes.Contains(data, []byte("<channel")):
			return nil
		}
		return append(append([]byte{}, cut...), s.closers...)
	}
	return nil
}
