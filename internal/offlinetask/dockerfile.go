package offlinetask

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// binaryArg is the build argument that names the service's binary in the
// build context (docker.BinaryBuildArg; repeated here so that this package
// does not link the Docker client).
const binaryArg = "SPARTA_DOCKER_BINARY"

// Image is what a Dockerfile tells about running the service's binary: the
// container's argv (ENTRYPOINT then CMD) and where the binary was copied.
type Image struct {
	// Entrypoint and Cmd are the exec-form instructions of the last stage.
	Entrypoint, Cmd []string
	// BinaryPath is the destination of the ADD or COPY of
	// $SPARTA_DOCKER_BINARY; empty when the Dockerfile does not copy it.
	BinaryPath string
}

// ParseDockerfile reads the instructions that matter offline. Only the
// last stage counts (FROM starts a new one), as in docker build. A shell
// form CMD or ENTRYPOINT is refused: offline there is no shell image to
// run it in; the message says to use the exec form.
func ParseDockerfile(r io.Reader) (Image, error) {
	var img Image
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var logical strings.Builder
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if logical.Len() == 0 && (text == "" || strings.HasPrefix(text, "#")) {
			continue
		}
		if cont, ok := strings.CutSuffix(text, `\`); ok {
			logical.WriteString(cont)
			logical.WriteByte(' ')
			continue
		}
		logical.WriteString(text)
		instr := logical.String()
		logical.Reset()
		if err := img.apply(instr); err != nil {
			return Image{}, fmt.Errorf("Dockerfile line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return Image{}, fmt.Errorf("reading the Dockerfile: %w", err)
	}
	return img, nil
}

func (img *Image) apply(instr string) error {
	keyword, rest, _ := strings.Cut(instr, " ")
	rest = strings.TrimSpace(rest)
	switch strings.ToUpper(keyword) {
	case "FROM":
		*img = Image{}
	case "CMD", "ENTRYPOINT":
		argv, err := execForm(strings.ToUpper(keyword), rest)
		if err != nil {
			return err
		}
		if strings.EqualFold(keyword, "CMD") {
			img.Cmd = argv
		} else {
			// Docker resets CMD when ENTRYPOINT is set after it.
			img.Entrypoint, img.Cmd = argv, nil
		}
	case "ADD", "COPY":
		args := strings.Fields(rest)
		for len(args) > 0 && strings.HasPrefix(args[0], "--") {
			args = args[1:]
		}
		if len(args) == 2 && (args[0] == "$"+binaryArg || args[0] == "${"+binaryArg+"}") {
			img.BinaryPath = args[1]
		}
	}
	return nil
}

// execForm decodes ["a", "b"]; anything else is the shell form.
func execForm(keyword, rest string) ([]string, error) {
	if !strings.HasPrefix(rest, "[") {
		return nil, fmt.Errorf("%s %s is in shell form, which execute --offline cannot run without the image's shell: write it in exec form, %s [\"/path/to/binary\", \"subcommand\"]", keyword, rest, keyword)
	}
	var argv []string
	if err := json.Unmarshal([]byte(rest), &argv); err != nil {
		return nil, fmt.Errorf("%s %s: not a JSON array of strings: %v", keyword, rest, err)
	}
	return argv, nil
}

// Argv is the container's command line: ENTRYPOINT then CMD, with cmd (a
// run's override of CMD) in CMD's place when it is set.
func (img Image) Argv(cmd []string) []string {
	if len(cmd) == 0 {
		cmd = img.Cmd
	}
	return append(append([]string(nil), img.Entrypoint...), cmd...)
}
