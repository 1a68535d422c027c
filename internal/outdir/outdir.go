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

// rename is os.Rename, replaced in tests to make one move fail.
var rename = os.Rename

// Stage creates an empty staging directory beside final, on the same file
// system, so that Commit can rename it into place. The directory gets mode
// 0755, the mode an output directory created by hand would have, because
// os.MkdirTemp creates it 0700 and Commit keeps that mode.
func Stage(final string) (string, error) {
	abs, err := filepath.Abs(final)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", err
	}
	staged, err := os.MkdirTemp(filepath.Dir(abs), filepath.Base(abs)+".staging-")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(staged, 0o755); err != nil {
		_ = os.RemoveAll(staged)
		return "", err
	}
	return staged, nil
}

// Discard removes a staging directory after a failed synth.
func Discard(staged string) error {
	return os.RemoveAll(staged)
}

// KeptError is a failed Commit after which the previous output still
// exists in Previous, beside final, because it may hold Terraform working
// files that only exist there.
type KeptError struct {
	// Previous is the path of the previous output directory.
	Previous string

	// Err describes what failed and what state the output is in.
	Err error
}

func (e *KeptError) Error() string {
	return e.Err.Error()
}

func (e *KeptError) Unwrap() error {
	return e.Err
}

// Commit replaces final with staged.
//
// Terraform keeps working files in each stack's folder (.terraform/ with the
// providers and backend settings, .terraform.lock.hcl, local state), and
// `cdktf diff` and `cdktf deploy` expect to find them again. So Commit first
// swaps the directories, renaming final aside and staged into its place, and
// then moves every entry of an old stack folder that the new synth did not
// write into the new folder. Stacks that are no longer synthesized disappear
// with their files, unless keepRemoved is set.
//
// The previous output is deleted only after every working file has moved.
// When Commit returns a *KeptError, the previous output is kept at
// KeptError.Previous. Any other error leaves final as it was.
//
// The cdktf CLI lists the stack folders before it runs the app and deletes
// the ones the new manifest lacks afterwards, failing if one is already gone.
// Under the CLI, keepRemoved leaves that deletion to it.
func Commit(staged, final string, keepRemoved bool) error {
	if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
		return rename(staged, final)
	} else if err != nil {
		return err
	}

	previous := staged + ".previous"
	if err := rename(final, previous); err != nil {
		return fmt.Errorf("%s was left as it was, because moving it aside failed: %w", final, err)
	}
	if err := rename(staged, final); err != nil {
		if restoreErr := rename(previous, final); restoreErr != nil {
			return &KeptError{Previous: previous, Err: fmt.Errorf(
				"moving the new output into %s failed, and so did moving the previous output back from %s; rename %s to %s by hand: %w",
				final, previous, previous, final, errors.Join(err, restoreErr))}
		}
		return fmt.Errorf("%s was left as it was, because moving the new output into place failed: %w", final, err)
	}

	if err := moveWorkingFiles(previous, final, keepRemoved); err != nil {
		return &KeptError{Previous: previous, Err: fmt.Errorf(
			"%s contains the new output, but moving Terraform working files into it failed, so the previous output is kept in %s; move the remaining stack folder entries from there by hand: %w",
			final, previous, err)}
	}
	if err := os.RemoveAll(previous); err != nil {
		return &KeptError{Previous: previous, Err: fmt.Errorf(
			"%s contains the new output and its Terraform working files, but removing the previous output %s failed; delete it by hand: %w",
			final, previous, err)}
	}
	return nil
}

// moveWorkingFiles moves, for every stack folder in next, each entry of the
// same folder in previous that next lacks. With keepRemoved, it also moves
// the whole folders of stacks that next lacks.
func moveWorkingFiles(previous, next string, keepRemoved bool) error {
	if err := os.MkdirAll(filepath.Join(next, "stacks"), 0o755); err != nil {
		return err
	}
	newStacks, err := os.ReadDir(filepath.Join(next, "stacks"))
	if err != nil {
		return err
	}

	if keepRemoved {
		oldStacks, err := os.ReadDir(filepath.Join(previous, "stacks"))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		for _, stack := range oldStacks {
			if err := moveIfAbsent(filepath.Join(previous, "stacks", stack.Name()), filepath.Join(next, "stacks", stack.Name())); err != nil {
				return err
			}
		}
	}

	for _, stack := range newStacks {
		if !stack.IsDir() {
			continue
		}
		oldDir := filepath.Join(previous, "stacks", stack.Name())
		newDir := filepath.Join(next, "stacks", stack.Name())

		entries, err := os.ReadDir(oldDir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := moveIfAbsent(filepath.Join(oldDir, e.Name()), filepath.Join(newDir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// moveIfAbsent renames from to to unless to already exists, because the
// files of the new synth take precedence.
func moveIfAbsent(from, to string) error {
	if _, err := os.Lstat(to); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return rename(from, to)
}
