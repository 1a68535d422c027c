package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Fleet maps a stack name to its decoded Terraform JSON document.
type Fleet map[string]map[string]any

// Names returns the stack names in the fleet, sorted.
func (f Fleet) Names() []string {
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// StackFile is the file name that CDKTF gives each synthesized stack inside
// its own folder.
const StackFile = "cdk.tf.json"

// ReadStacksDir reads a synthesized fleet laid out as dir/<stack>/cdk.tf.json,
// the layout of cdktf.out/stacks. Folders without a cdk.tf.json are skipped.
// A folder that holds no stack at all is an error, because comparing it
// would report every stack as removed.
func ReadStacksDir(dir string) (Fleet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading synthesized stacks: %w", err)
	}

	fleet := Fleet{}
	for _, entry := range entries {
		if !entry.IsDir() {
			continue
		}
		path := filepath.Join(dir, entry.Name(), StackFile)
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading synthesized stack: %w", err)
		}
		doc, err := decodeStack(path, data)
		if err != nil {
			return nil, err
		}
		fleet[entry.Name()] = doc
	}
	if len(fleet) == 0 {
		return nil, fmt.Errorf("no stacks found in %s: expected <stack>/%s files; run `make synth` first", dir, StackFile)
	}
	return fleet, nil
}

// ReadSnapshotsDir reads a baseline laid out as dir/<stack>.json, the layout
// of __snapshots__. Files that do not end in .json are skipped.
func ReadSnapshotsDir(dir string) (Fleet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading snapshots: %w", err)
	}

	fleet := Fleet{}
	for _, entry := range entries {
		name, ok := snapshotStack(entry.Name())
		if entry.IsDir() || !ok {
			continue
		}
		path := filepath.Join(dir, entry.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading snapshot: %w", err)
		}
		doc, err := decodeStack(path, data)
		if err != nil {
			return nil, err
		}
		fleet[name] = doc
	}
	if len(fleet) == 0 {
		return nil, fmt.Errorf("no snapshots found in %s: expected <stack>.json files", dir)
	}
	return fleet, nil
}

// snapshotStack returns the stack name of a snapshot file name.
func snapshotStack(file string) (string, bool) {
	name, ok := strings.CutSuffix(file, ".json")
	return name, ok && name != ""
}

// decodeStack decodes one stack document; source names it in errors.
func decodeStack(source string, data []byte) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s is not valid Terraform JSON: %w", source, err)
	}
	if doc == nil {
		return nil, fmt.Errorf("%s is not valid Terraform JSON: the document is not an object", source)
	}
	return doc, nil
}
