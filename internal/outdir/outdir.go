// Package outdir writes synthesized output so that a failed synth leaves the
// previous output untouched: the app synthesizes into a staging directory
// beside the real one, which replaces the real one only when synth succeeds.
package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Stage creates an empty staging directory beside final, on the same file
// system, so that Commit can rename it into place.
func Stage(final string) (string, error) {
	abs, err := filepath.Abs(final)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", err
	}
	return os.MkdirTemp(filepath.Dir(abs), filepath.Base(abs)+".staging-")
}

// Discard removes a staging directory after a failed synth.
func Discard(staged string) error {
	return os.RemoveAll(staged)
}

// Commit replaces final with staged.
//
// Terraform keeps working files in each stack's folder (.terraform/ with the
// providers and backend settings, .terraform.lock.hcl, local state), and
// `cdktf diff` and `cdktf deploy` expect to find them again, so every entry of
// an old stack folder that the new synth did not write is moved into the new
// folder before the swap. Stacks that are no longer synthesized disappear
// with their files, unless keepRemoved is set.
//
// The cdktf CLI lists the stack folders before it runs the app and deletes
// the ones the new manifest lacks afterwards, failing if one is already gone;
// under the CLI, keepRemoved leaves that deletion to it.
func Commit(staged, final string, keepRemoved bool) error {
	if err := carryOver(staged, final, keepRemoved); err != nil {
		return fmt.Errorf("keeping Terraform working files: %w", err)
	}

	if _, err := os.Stat(final); errors.Is(err, os.ErrNotExist) {
		return os.Rename(staged, final)
	}

	old := staged + ".previous"
	if err := os.Rename(final, old); err != nil {
		return err
	}
	if err := os.Rename(staged, final); err != nil {
		// Put the previous output back rather than leave nothing.
		if restoreErr := os.Rename(old, final); restoreErr != nil {
			return errors.Join(err, restoreErr)
		}
		return err
	}
	return os.RemoveAll(old)
}

func carryOver(staged, final string, keepRemoved bool) error {
	if err := os.MkdirAll(filepath.Join(staged, "stacks"), 0o755); err != nil {
		return err
	}
	newStacks, err := os.ReadDir(filepath.Join(staged, "stacks"))
	if err != nil {
		return err
	}

	if keepRemoved {
		oldStacks, err := os.ReadDir(filepath.Join(final, "stacks"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		for _, stack := range oldStacks {
			target := filepath.Join(staged, "stacks", stack.Name())
			if _, err := os.Lstat(target); err == nil {
				continue
			}
			if err := os.Rename(filepath.Join(final, "stacks", stack.Name()), target); err != nil {
				return err
			}
		}
	}

	for _, stack := range newStacks {
		if !stack.IsDir() {
			continue
		}
		oldDir := filepath.Join(final, "stacks", stack.Name())
		newDir := filepath.Join(staged, "stacks", stack.Name())

		entries, err := os.ReadDir(oldDir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			target := filepath.Join(newDir, e.Name())
			if _, err := os.Lstat(target); err == nil {
				continue
			}
			if err := os.Rename(filepath.Join(oldDir, e.Name()), target); err != nil {
				return err
			}
		}
	}
	return nil
}
