package deploy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/internal/config"
	"gopkg.in/yaml.v3"
)

// knownEnvVars are the environment variables the deployment files may set:
// the names the configuration reads (config.Env) plus the _FILE variants
// of its secrets. deployEnvVars must stay within them.
var knownEnvVars = func() []string {
	var names []string
	for _, v := range config.Env {
		names = append(names, v.Name)
		if v.Secret {
			names = append(names, v.Name+"_FILE")
		}
	}
	return names
}()

// yamlDocs decodes every document of every YAML file under the deploy
// folder, failing the test on a malformed one.
func yamlDocs(t *testing.T) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, "%s is not well-formed YAML", p)
			if doc != nil {
				out[filepath.ToSlash(p)] = append(out[filepath.ToSlash(p)], doc)
			}
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// deployEnvVars returns the environment variable names each deployment
// file sets, by file: Kubernetes containers (env and the kustomize
// ConfigMap they load with envFrom), compose services, the Bicep
// container's env, and the Dockerfile's ENV lines.
func deployEnvVars(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	add := func(file string, names ...string) {
		for _, n := range names {
			if n != "" && !slices.Contains(out[file], n) {
				out[file] = append(out[file], n)
			}
		}
	}
	for file, docs := range yamlDocs(t) {
		for _, doc := range docs {
			// compose: services.<name>.environment (map or KEY=VALUE list)
			for _, svc := range asMap(doc["services"]) {
				env := asMap(svc)["environment"]
				for k := range asMap(env) {
					add(file, k)
				}
				for _, kv := range asSlice(env) {
					s, _ := kv.(string)
					add(file, strings.SplitN(s, "=", 2)[0])
				}
			}
			// kustomize: configMapGenerator literals KEY=VALUE
			for _, g := range asSlice(doc["configMapGenerator"]) {
				for _, lit := range asSlice(asMap(g)["literals"]) {
					s, _ := lit.(string)
					add(file, strings.SplitN(s, "=", 2)[0])
				}
			}
			// Kubernetes workloads: containers[].env[].name
			spec := asMap(asMap(asMap(doc["spec"])["template"])["spec"])
			for _, c := range append(asSlice(spec["containers"]), asSlice(spec["initContainers"])...) {
				for _, e := range asSlice(asMap(c)["env"]) {
					n, _ := asMap(e)["name"].(string)
					add(file, n)
				}
			}
		}
	}
	bicep, err := os.ReadFile(filepath.Join("azure", "main.bicep"))
	require.NoError(t, err)
	for _, block := range bicepEnvBlocks(string(bicep)) {
		for _, m := range regexp.MustCompile(`(?m)^\s*name:\s*'([^']+)'`).FindAllStringSubmatch(block, -1) {
			add("azure/main.bicep", m[1])
		}
	}
	docker, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	add("Dockerfile", dockerfileEnv(string(docker))...)
	for f := range out {
		slices.Sort(out[f])
	}
	return out
}

// bicepEnvBlocks returns the text of every "env: [ … ]" array.
func bicepEnvBlocks(src string) []string {
	var out []string
	for _, loc := range regexp.MustCompile(`\benv:\s*\[`).FindAllStringIndex(src, -1) {
		depth := 0
		for i := loc[1] - 1; i < len(src); i++ {
			switch src[i] {
			case '[':
				depth++
			case ']':
				depth--
			}
			if depth == 0 {
				out = append(out, src[loc[1]:i])
				break
			}
		}
	}
	return out
}

// dockerfileEnv returns the keys of the ENV instructions of the
// Dockerfile's final stage, the image that runs (KEY=VALUE pairs, with
// line continuations); build stages' ENV lines are not runtime settings.
func dockerfileEnv(src string) []string {
	var out, logical []string
	var cur strings.Builder
	sc := bufio.NewScanner(strings.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		logical = append(logical, cur.String())
		cur.Reset()
	}
	for _, l := range logical {
		fields := strings.Fields(l)
		if len(fields) > 0 && strings.EqualFold(fields[0], "FROM") {
			out = nil
		}
		if len(fields) < 2 || !strings.EqualFold(fields[0], "ENV") {
			continue
		}
		for _, f := range fields[1:] {
			if k, _, ok := strings.Cut(f, "="); ok {
				out = append(out, k)
			}
		}
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func TestYAMLWellFormed(t *testing.T) {
	docs := yamlDocs(t)
	for _, f := range []string{
		"compose.yaml",
		"k8s/base/kustomization.yaml", "k8s/base/deployment.yaml", "k8s/base/service.yaml", "k8s/base/pdb.yaml",
		"k8s/base/redis.yaml", "k8s/overlays/production/kustomization.yaml",
	} {
		require.NotEmpty(t, docs[f], "%s has no YAML document", f)
	}
	// Every Kubernetes object names its kind, and every file a kustomization
	// lists exists.
	for file, ds := range docs {
		for _, d := range ds {
			if strings.HasPrefix(file, "k8s/") {
				require.NotEmpty(t, d["kind"], "%s: a document without kind", file)
				require.NotEmpty(t, d["apiVersion"], "%s: a document without apiVersion", file)
			}
			if d["kind"] == "Kustomization" {
				refs := append(asSlice(d["resources"]), asSlice(d["patches"])...)
				for _, r := range refs {
					p, _ := r.(string)
					if m := asMap(r); m != nil {
						p, _ = m["path"].(string)
					}
					_, err := os.Stat(filepath.Join(filepath.Dir(file), p))
					require.NoError(t, err, "%s lists %s", file, p)
				}
			}
		}
	}
}

func TestDeployment_Hardening(t *testing.T) {
	docs := yamlDocs(t)
	dep := docs["k8s/base/deployment.yaml"][0]
	spec := asMap(asMap(asMap(dep["spec"])["template"])["spec"])
	require.Equal(t, true, asMap(spec["securityContext"])["runAsNonRoot"])
	c := asMap(asSlice(spec["containers"])[0])
	sc := asMap(c["securityContext"])
	require.Equal(t, true, sc["readOnlyRootFilesystem"])
	require.Equal(t, false, sc["allowPrivilegeEscalation"])
	require.Equal(t, "/healthz", asMap(asMap(c["livenessProbe"])["httpGet"])["path"])
	require.Equal(t, "/readyz", asMap(asMap(c["readinessProbe"])["httpGet"])["path"])
	res := asMap(c["resources"])
	require.NotEmpty(t, asMap(res["requests"]))
	require.NotEmpty(t, asMap(res["limits"]))

	docker, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	for _, want := range []string{"CGO_ENABLED=0", "gcr.io/distroless/static:nonroot", "USER 65532:65532", "EXPOSE 3978", `CMD ["/attestbot", "healthcheck"]`, "./cmd/attestbot"} {
		require.Contains(t, string(docker), want)
	}
	bicep, err := os.ReadFile(filepath.Join("azure", "main.bicep"))
	require.NoError(t, err)
	for _, want := range []string{"Microsoft.BotService/botServices@", "MsTeamsChannel", "Microsoft.App/containerApps@", "Microsoft.Cache/redis@", "Microsoft.ManagedIdentity/userAssignedIdentities@"} {
		require.Contains(t, string(bicep), want)
	}
}

func TestEnvVars(t *testing.T) {
	vars := deployEnvVars(t)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	var all []string
	for file, names := range vars {
		for _, n := range names {
			require.Contains(t, knownEnvVars, n, "%s sets %s, which the configuration does not know", file, n)
			require.Contains(t, string(readme), "`"+n+"`", "README.md does not document %s (set in %s)", n, file)
			if !slices.Contains(all, n) {
				all = append(all, n)
			}
		}
	}
	// Each way of running attestbot for real sets the essentials.
	for _, file := range []string{"compose.yaml", "k8s/base/deployment.yaml", "azure/main.bicep"} {
		env := vars[file]
		if file == "k8s/base/deployment.yaml" {
			env = append(slices.Clone(env), vars["k8s/base/kustomization.yaml"]...)
		}
		for _, must := range []string{"MicrosoftAppId", "MicrosoftAppPassword_FILE", "ATTESTBOT_LISTEN"} {
			require.Contains(t, env, must, file)
		}
		require.True(t, slices.Contains(env, "ATTESTBOT_STORE") || slices.Contains(env, "ATTESTBOT_STORE_FILE"), file)
		require.NotContains(t, env, "MicrosoftAppPassword", "%s must pass the secret as a file", file)
	}
	slices.Sort(all)
	t.Logf("environment variables set in deploy/: %s", strings.Join(all, " "))
}

func TestDockerfileEnv(t *testing.T) {
	require.Equal(t, []string{"A", "B", "C"}, dockerfileEnv("FROM a AS b\nENV Z=0\nFROM c\n# ENV X=1\nENV A=1 \\\n    B=2\nRUN echo\nenv C=3\n"))
	require.Equal(t, []string{"\n { name: 'A' } "}, bicepEnvBlocks("x env: [\n { name: 'A' } ] y"))
}
