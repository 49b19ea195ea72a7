# Shared by scripts/test: a test class whose name matches no Surefire/Failsafe pattern compiles and never runs
# (seven chaos-bench property classes, 22 tests, went unrun that way). This fails the run instead.
# Report classes (@Tag("report"), run by hand with their command) are meant to stay out of the default run.
check_test_names() {
  local unrun
  unrun=$(grep -rlE '@(Test|Property|ParameterizedTest|RepeatedTest|TestFactory|FuzzTest)\b' --include='*.java' . 2>/dev/null \
    | grep '/src/test/' | grep -v '/target/' \
    | grep -vE '/(Test[^/]*|[^/]*(Test|Tests|TestCase|IT))\.java$' \
    | xargs -r grep -LE '^(public )?(interface|abstract class) ' 2>/dev/null \
    | xargs -r grep -L '@Tag("report")' 2>/dev/null || true)
  if [ -n "$unrun" ]; then
    echo "test: these test classes match no Surefire/Failsafe name pattern (*Test, *Tests, *TestCase, Test*, *IT), so no runner would run them; rename them:" >&2
    echo "$unrun" | sed 's/^/  /' >&2
    return 1
  fi
}
