package policy

import (
	"sigs.k8s.io/yaml"
)

// releaseObjects returns the Kubernetes objects a helm_release's values
// carry: the manifests of a release of the bundled manifests chart. Values
// of other charts are not objects and give none.
func releaseObjects(body map[string]any) []map[string]any {
	var out []map[string]any
	for _, v := range stringList(body["values"]) {
		var values struct {
			Manifests []map[string]any `json:"manifests"`
		}
		if yaml.Unmarshal([]byte(v), &values) == nil {
			out = append(out, values.Manifests...)
		}
	}
	return out
}
