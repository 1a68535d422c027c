package main

import (
	"testing"

	"github.com/honeyhive/platform/internal/synthtest"
)

func TestMain(m *testing.M) { synthtest.Main(m) }
