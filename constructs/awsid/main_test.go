package awsid

import (
	"testing"

	"github.com/honeyhive/platform/internal/synthtest"
)

// TestMain stops the jsii runtime after the tests, which would otherwise
// leave its unpacked copy in the temporary directory.
func TestMain(m *testing.M) { synthtest.Main(m) }
