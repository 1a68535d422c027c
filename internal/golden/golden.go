// Package golden compares synthesized Terraform JSON with reviewed snapshot
// files. A mismatch lists the addresses that appear or disappear first,
// because each is a create or a destroy on the next deploy, and then the
// full difference.
package golden

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// Canonical re-indents a JSON document with sorted keys and a final newline,
// so snapshots differ only where the content does.
func Canonical(doc []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	// Keep ">", "<" and "&" as they are (">= 1.6.1", not "\u003e= 1.6.1"),
	// so snapshots read like the synthesized files.
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Compare returns "" when got matches the snapshot at path, and otherwise a
// report of the difference. A missing snapshot is a difference too.
func Compare(path string, got []byte) (string, error) {
	got, err := Canonical(got)
	if err != nil {
		return "", fmt.Errorf("synthesized JSON is invalid: %w", err)
	}

	want, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return fmt.Sprintf("snapshot %s does not exist yet", path), nil
	}
	if err != nil {
		return "", err
	}
	if bytes.Equal(want, got) {
		return "", nil
	}

	var wantDoc, gotDoc map[string]any
	if err := json.Unmarshal(want, &wantDoc); err != nil {
		return "", fmt.Errorf("snapshot %s is not valid JSON: %w", path, err)
	}
	if err := json.Unmarshal(got, &gotDoc); err != nil {
		return "", err
	}

	var report strings.Builder
	fmt.Fprintf(&report, "synthesized output differs from %s\n", path)
	added, removed := diffAddresses(Addresses(wantDoc), Addresses(gotDoc))
	for _, a := range added {
		fmt.Fprintf(&report, "  + %s (new address: created on deploy)\n", a)
	}
	for _, a := range removed {
		fmt.Fprintf(&report, "  - %s (address gone: destroyed on deploy)\n", a)
	}
	fmt.Fprintf(&report, "difference (-snapshot +synthesized):\n%s", cmp.Diff(wantDoc, gotDoc))
	return report.String(), nil
}

// Write stores got, in canonical form, as the snapshot at path.
func Write(path string, got []byte) error {
	got, err := Canonical(got)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, got, 0o644)
}

// Addresses returns the Terraform addresses a synthesized stack declares:
// `type.name` for resources, `data.type.name` for data sources and
// `output.name` for outputs, sorted.
func Addresses(doc map[string]any) []string {
	var addrs []string
	collect := func(block, prefix string) {
		byType, _ := doc[block].(map[string]any)
		for typ, v := range byType {
			byName, _ := v.(map[string]any)
			for name := range byName {
				addrs = append(addrs, prefix+typ+"."+name)
			}
		}
	}
	collect("resource", "")
	collect("data", "data.")

	outputs, _ := doc["output"].(map[string]any)
	for name := range outputs {
		addrs = append(addrs, "output."+name)
	}
	sort.Strings(addrs)
	return addrs
}

func diffAddresses(before, after []string) (added, removed []string) {
	in := func(list []string, s string) bool {
		i := sort.SearchStrings(list, s)
		return i < len(list) && list[i] == s
	}
	for _, a := range after {
		if !in(before, a) {
			added = append(added, a)
		}
	}
	for _, b := range before {
		if !in(after, b) {
			removed = append(removed, b)
		}
	}
	return added, removed
}
