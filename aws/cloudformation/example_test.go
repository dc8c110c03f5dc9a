package cloudformation_test

import (
	"fmt"
	"strings"

	spartaCF "github.com/sparta-go/sparta/aws/cloudformation"
)

// A Sparta program names its stack after the user, as Sparta's examples do.
func ExampleUserScopedStackName() {
	name := spartaCF.UserScopedStackName("SpartaStep")
	fmt.Println(strings.HasPrefix(name, "SpartaStep"))
	// Output: true
}

func ExampleMapToResourceTags() {
	fmt.Println(spartaCF.MapToResourceTags(map[string]string{"team": "dragons", "app": "sightings"}))
	// Output: [map[Key:app Value:sightings] map[Key:team Value:dragons]]
}
