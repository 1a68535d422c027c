package githuboidc

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// SubjectKind is the kind of workflow run a Subject admits.
type SubjectKind int

// Subject kinds. The zero value is invalid, so a Subject without a Kind is
// reported instead of silently admitting some default.
const (
	// SubjectPullRequest admits jobs of pull_request workflow runs, which
	// carry the sub claim "repo:<owner>/<repo>:pull_request". Value must be
	// empty.
	SubjectPullRequest SubjectKind = iota + 1

	// SubjectEnvironment admits jobs that reference the GitHub environment
	// named by Value: "repo:<owner>/<repo>:environment:<Value>". GitHub puts
	// the environment in the claim instead of the branch, so environment
	// protection rules decide which branches may deploy.
	SubjectEnvironment

	// SubjectBranch admits jobs without an environment that run on the
	// branch named by Value, given without "refs/heads/":
	// "repo:<owner>/<repo>:ref:refs/heads/<Value>".
	SubjectBranch
)

// String returns the kind's name as used in messages.
func (k SubjectKind) String() string {
	switch k {
	case SubjectPullRequest:
		return "SubjectPullRequest"
	case SubjectEnvironment:
		return "SubjectEnvironment"
	case SubjectBranch:
		return "SubjectBranch"
	}
	return fmt.Sprintf("SubjectKind(%d)", int(k))
}

// Subject is one exact value of the sub claim that a role accepts.
type Subject struct {
	Kind SubjectKind

	// Value is the environment or branch name, and empty for
	// SubjectPullRequest. Names are compared case-sensitively, so write them as GitHub shows them.
	Value string
}

// Claim returns the sub claim that GitHub issues for s in owner/repository,
// using GitHub's default claim format.
func (s Subject) Claim(owner, repository string) string {
	prefix := "repo:" + owner + "/" + repository
	switch s.Kind {
	case SubjectPullRequest:
		return prefix + ":pull_request"
	case SubjectEnvironment:
		return prefix + ":environment:" + s.Value
	case SubjectBranch:
		return prefix + ":ref:refs/heads/" + s.Value
	}
	panic(fmt.Sprintf("githuboidc: Subject.Claim called with invalid kind %v", s.Kind))
}

const (
	// wildcardFix ends every message about a wildcard, so the reader learns
	// why an exact value is required.
	wildcardFix = "list exact values, because a trust without an exact sub lets other repositories assume the role"

	// maxEnvironmentName is GitHub's limit on environment names.
	maxEnvironmentName = 255
)

var (
	// ownerPattern matches GitHub user and organization names: letters,
	// digits and hyphens, starting with a letter or digit, at most 39
	// characters.
	ownerPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)

	// repositoryPattern matches GitHub repository names: letters, digits,
	// ".", "_" and "-", at most 100 characters. "." and ".." are rejected
	// separately.
	repositoryPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

// hasWildcard reports whether value contains a character that IAM's
// StringLike treats as a wildcard.
func hasWildcard(value string) bool {
	return strings.ContainsAny(value, "*?")
}

func validateOwner(field, owner string) error {
	switch {
	case owner == "":
		return fmt.Errorf("%s is missing; set the GitHub user or organization that owns the repository", field)
	case hasWildcard(owner):
		return fmt.Errorf("%s: %q contains a wildcard; %s", field, owner, wildcardFix)
	case !ownerPattern.MatchString(owner):
		return fmt.Errorf("%s: %q is not a valid GitHub owner name; use 1 to 39 letters, digits and hyphens, starting with a letter or digit", field, owner)
	}
	return nil
}

func validateRepository(field, repository string) error {
	switch {
	case repository == "":
		return fmt.Errorf("%s is missing; set the repository name without its owner", field)
	case hasWildcard(repository):
		return fmt.Errorf("%s: %q contains a wildcard; %s", field, repository, wildcardFix)
	case strings.Contains(repository, "/"):
		return fmt.Errorf("%s: %q contains a slash; set the owner in Owner and only the repository name here", field, repository)
	case repository == "." || repository == ".." || !repositoryPattern.MatchString(repository):
		return fmt.Errorf("%s: %q is not a valid GitHub repository name; use 1 to 100 letters, digits, '.', '_' and '-'", field, repository)
	}
	return nil
}

// validateSubject checks one subject. The field argument names it in
// messages, such as "githuboidc: RoleConfig.Subjects[0]".
func validateSubject(field string, s Subject) error {
	if hasWildcard(s.Value) {
		return fmt.Errorf("%s.Value: %q contains a wildcard; %s", field, s.Value, wildcardFix)
	}
	switch s.Kind {
	case SubjectPullRequest:
		if s.Value != "" {
			return fmt.Errorf("%s.Value: %q is set for SubjectPullRequest, whose claim has no name; leave Value empty", field, s.Value)
		}
	case SubjectEnvironment:
		return validateEnvironment(field+".Value", s.Value)
	case SubjectBranch:
		return validateBranch(field+".Value", s.Value)
	default:
		return fmt.Errorf("%s.Kind: %v is not a subject kind; use SubjectPullRequest, SubjectEnvironment or SubjectBranch", field, s.Kind)
	}
	return nil
}

func validateEnvironment(field, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s is missing; set the GitHub environment name", field)
	case len(name) > maxEnvironmentName:
		return fmt.Errorf("%s: %q is longer than %d characters, the GitHub limit for environment names", field, name, maxEnvironmentName)
	case strings.TrimSpace(name) != name || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("%s: %q has surrounding spaces or control characters; set the environment name as GitHub shows it", field, name)
	}
	return nil
}

// validateBranch applies the rules of git check-ref-format to a branch name,
// so a Subject cannot name a branch that Git would reject.
func validateBranch(field, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s is missing; set the branch name, such as %q", field, "main")
	case strings.HasPrefix(name, "refs/"):
		return fmt.Errorf("%s: %q is a full ref; set the branch name without %q", field, name, "refs/heads/")
	case strings.ContainsAny(name, " ~^:[\\") || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("%s: %q contains a space, control character or one of ~^:[\\, which Git does not allow in branch names", field, name)
	case strings.Contains(name, "..") || strings.Contains(name, "@{") || strings.Contains(name, "//") || name == "@":
		return fmt.Errorf("%s: %q contains \"..\", \"@{\" or \"//\" or is \"@\", which Git does not allow in branch names", field, name)
	case strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") || strings.HasSuffix(name, "."):
		return fmt.Errorf("%s: %q starts or ends with \"/\" or ends with \".\", which Git does not allow in branch names", field, name)
	}
	for _, component := range strings.Split(name, "/") {
		if strings.HasPrefix(component, ".") || strings.HasSuffix(component, ".lock") {
			return fmt.Errorf("%s: %q has a path component that starts with \".\" or ends with \".lock\", which Git does not allow in branch names", field, name)
		}
	}
	return nil
}
