package api

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the API's contract, OpenAPI 3.1; a test holds it against
// the registered routes and real responses, so edit it with the code.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 document of the API.
func OpenAPI() []byte { return openAPIDoc }

func (h *handler) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(openAPIDoc)
}
