package githuboidc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSubjectClaim(t *testing.T) {
	cases := []struct {
		subject Subject
		want    string
	}{
		{Subject{Kind: SubjectPullRequest}, "repo:honeyhive/platform:pull_request"},
		{Subject{Kind: SubjectEnvironment, Value: "prod-usw2"}, "repo:honeyhive/platform:environment:prod-usw2"},
		{Subject{Kind: SubjectBranch, Value: "release/v1"}, "repo:honeyhive/platform:ref:refs/heads/release/v1"},
	}
	for _, tc := range cases {
		t.Run(tc.subject.Kind.String(), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.subject.Claim("honeyhive", "platform"))
		})
	}
}

func TestSubjectClaimPanicsOnInvalidKind(t *testing.T) {
	assert.Panics(t, func() { Subject{}.Claim("honeyhive", "platform") })
}

func TestValidateBranchAcceptsGitNames(t *testing.T) {
	for _, name := range []string{"main", "release/v1.2", "feature/ABC-12_x", "v1.0"} {
		assert.NoError(t, validateBranch("branch", name), name)
	}
}
