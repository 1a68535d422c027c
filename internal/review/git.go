package review

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path"
	"strings"
)

// ReadSnapshotsAtRef reads the baseline snapshots stored at a git ref: every
// .json file directly inside dir (a path relative to the repository root,
// such as "__snapshots__") in the tree of ref. It runs git in repoRoot.
func ReadSnapshotsAtRef(ctx context.Context, repoRoot, ref, dir string) (Fleet, error) {
	// A ref that starts with "-" would be read by git as an option.
	if ref == "" || strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("invalid git ref %q: give a branch, tag or commit", ref)
	}
	dir = strings.Trim(path.Clean(dir), "/")

	if _, err := runGit(ctx, repoRoot, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("git ref %q not found in %s: %w", ref, repoRoot, err)
	}
	listing, err := runGit(ctx, repoRoot, "ls-tree", "-z", "--name-only", ref, "--", dir+"/")
	if err != nil {
		return nil, fmt.Errorf("listing %s/ at %s: %w", dir, ref, err)
	}

	fleet := Fleet{}
	for _, file := range strings.Split(string(listing), "\x00") {
		name, ok := snapshotStack(path.Base(file))
		if file == "" || !ok {
			continue
		}
		data, err := runGit(ctx, repoRoot, "show", ref+":"+file)
		if err != nil {
			return nil, fmt.Errorf("reading %s at %s: %w", file, ref, err)
		}
		doc, err := decodeStack(ref+":"+file, data)
		if err != nil {
			return nil, err
		}
		fleet[name] = doc
	}
	if len(fleet) == 0 {
		return nil, fmt.Errorf("no snapshots found in %s/ at %s", dir, ref)
	}
	return fleet, nil
}

// runGit runs git with args in dir and returns its standard output. The
// error carries git's standard error.
func runGit(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %w: %s", args[0], err, msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return stdout.Bytes(), nil
}

// RepositoryRoot returns the top-level folder of the git work tree that
// contains dir.
func RepositoryRoot(ctx context.Context, dir string) (string, error) {
	out, err := runGit(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("finding the git repository root: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
