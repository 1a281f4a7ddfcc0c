# Turns bench/out/runs.tsv (id, what, metric, run, value, unit, target) into medians, min and max per measurement:
# bench/results.json (machine-readable) and the table between the results markers of docs/PERFORMANCE.md.
# Targets are absolute (">= 1000", "<= 150") or a multiple of the run's B0 throughput (">= 0.75×B0"), which is how the
# 2-core machines, whose PostgreSQL commit rate moves 2× from day to day, are compared with themselves.
# Usage: awk -v cores=N -v date=YYYY-MM-DD -v commit=SHA -v json=PATH -v table=PATH -f bench/report.awk runs.tsv
BEGIN { FS = "\t"; count = 0 }
NF >= 6 {
  key = $1 SUBSEP $2 SUBSEP $3
  if (!(key in n)) { order[++count] = key; id[key] = $1; what[key] = $2; metric[key] = $3; unit[key] = $6; target[key] = $7 }
  values[key, ++n[key]] = $5 + 0
}
function jsonstring(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function fmt(v) { return (v >= 100 || v == int(v)) ? sprintf("%.0f", v) : sprintf("%.2f", v) }
function sortvalues(key,   m, a, b, v) {
  m = n[key]
  for (a = 1; a <= m; a++) sorted[a] = values[key, a]
  for (a = 2; a <= m; a++) { v = sorted[a]; for (b = a - 1; b >= 1 && sorted[b] > v; b--) sorted[b + 1] = sorted[b]; sorted[b + 1] = v }
  return (m % 2) ? sorted[(m + 1) / 2] : (sorted[m / 2] + sorted[m / 2 + 1]) / 2
}
END {
  # B0 (pgbench of the bare intake transaction) first: targets written as a multiple of it (">= 0.75×B0") need its median.
  b0 = 0
  for (i = 1; i <= count; i++) { key = order[i]; if (id[key] == "B0" && metric[key] == "throughput") b0 = sortvalues(key) }
  printf "{\n  \"machine\": {\"cores\": %d, \"date\": \"%s\", \"commit\": \"%s\"},\n  \"results\": [\n", cores, date, commit > json
  print "| id | measurement | metric | median | min – max | runs | target | met |" > table
  print "|---|---|---|---|---|---|---|---|" > table
  for (i = 1; i <= count; i++) {
    key = order[i]; m = n[key]
    median = sortvalues(key)
    runs = ""; for (a = 1; a <= m; a++) runs = runs (a > 1 ? ", " : "") values[key, a]
    met = "null"; mark = "—"; ratio = "null"; shown = target[key]; note = ""
    if (target[key] ~ /×B0$/) {
      factor = substr(target[key], 4) + 0; bound = factor * b0
      if (b0 > 0) { ratio = sprintf("%.3f", median / b0); note = sprintf(" (%.2f×B0)", median / b0); met = (median >= bound) ? "true" : "false" }
      shown = target[key] " = " fmt(bound)
    } else if (target[key] ~ /^>= /) { bound = substr(target[key], 4) + 0; met = (median >= bound) ? "true" : "false" }
    else if (target[key] ~ /^<= /) { bound = substr(target[key], 4) + 0; met = (median <= bound) ? "true" : "false" }
    if (met == "true") mark = "yes"; else if (met == "false") mark = "**no**"
    printf "    {\"id\": %s, \"measurement\": %s, \"metric\": %s, \"unit\": %s, \"median\": %s, \"min\": %s, \"max\": %s, \"runs\": [%s], \"target\": %s, \"ratio_to_b0\": %s, \"met\": %s}%s\n",
      jsonstring(id[key]), jsonstring(what[key]), jsonstring(metric[key]), jsonstring(unit[key]), median, sorted[1], sorted[m], runs,
      jsonstring(target[key]), ratio, met, (i < count ? "," : "") > json
    printf "| %s | %s | %s | **%s %s**%s | %s – %s | %d | %s | %s |\n", id[key], what[key], metric[key], fmt(median), unit[key], note, fmt(sorted[1]), fmt(sorted[m]), m,
      (shown == "" ? "—" : shown " " unit[key]), mark > table
  }
  print "  ]\n}" > json
}
