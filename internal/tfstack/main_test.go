package tfstack

import (
	"os"
	"testing"

	"github.com/honeyhive/platform/internal/jsiiruntime"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsiiruntime.Close()
	os.Exit(code)
}
