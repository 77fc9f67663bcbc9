# tests/bench/report.awk: the table `make bench` prints, and its JSON.
#   awk -F '\t' -v json=OUT.json -f report.awk FACTS RESULTS
# FACTS: name<TAB>value lines (run.sh).  RESULTS: one line per measurement:
#   name, status ("ok" or why not), req/s, p50 us, p99 us, requests,
#   responses not 2xx/3xx, socket errors, note, bytes per response (with
#   headers).

function ms(us) { return (us == "") ? "-" : sprintf("%.2f", us / 1000) }
function jstr(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s)
	return "\"" s "\""
}
function jnum(s) { return (s == "") ? "null" : (s + 0) }
function jbool(b) { return b ? "true" : "false" }
function rule(ok) { return ok ? "MET" : "NOT MET" }
function row(label, rps, p50, p99, ratio, kb, note) {
	printf("%-30s %8s %8s %8s %7s %7s  %s\n", label, rps, p50, p99, ratio, kb, note)
}

FILENAME ~ /\/facts\.tsv$/ { f[$1] = $2; next }
FILENAME ~ /\/slow\.tsv$/ { ns++; sk[ns] = $1; sn[ns] = $2; sa[ns] = $3; sm[ns] = $4; next }
{
	n++; name[n] = $1; st[n] = $2; rps[n] = $3; p50[n] = $4; p99[n] = $5
	req[n] = $6; bad[n] = $7; err[n] = $8; note[n] = $9; size[n] = $10
	idx[$1] = n
}
END {
	label["home"] = "home            GET /"
	label["board"] = "board           GET /b/erbil"
	label["nginx"] = "nginx: the thread page, saved"
	label["nginx_pre"] = "nginx: same, gzipped once"
	label["thread_anon"] = "thread 20 posts, anonymous"
	label["thread_user"] = "thread 20 posts, signed in"
	label["search"] = "search          GET /search"
	label["reply"] = "reply    POST /t/{id}/reply"
	ng = 0
	if (("nginx" in idx) && st[idx["nginx"]] == "ok")
		ng = rps[idx["nginx"]]

	printf("Magnet bench %s, commit %s, %s CPUs, %s posts in the database\n",
	    f["when"], f["commit"], f["cpus"], f["posts"])
	printf("wrk: %s threads, %s connections, %s s per page, Accept-Encoding: %s\n\n",
	    f["wrk_threads"], f["connections"], f["duration"],
	    (f["gzip"] == 1) ? "gzip" : "(none)")
	row("page", "req/s", "p50 ms", "p99 ms", "/nginx", "KB/resp", "notes")
	row("----", "-----", "------", "------", "------", "-------", "-----")
	for (i = 1; i <= n; i++) {
		lb = (name[i] in label) ? label[name[i]] : name[i]
		if (st[i] != "ok") {
			row(lb, "-", "-", "-", "-", "-", st[i] ((note[i] != "") ? "; " note[i] : ""))
			continue
		}
		ratio[i] = (ng > 0) ? rps[i] / ng : 0
		x = note[i]
		if (bad[i] > 0)
			x = x ((x != "") ? "; " : "") bad[i] " of " req[i] " answers not 2xx/3xx"
		if (err[i] > 0)
			x = x ((x != "") ? "; " : "") err[i] " socket errors"
		row(lb, sprintf("%d", rps[i]), ms(p50[i]), ms(p99[i]),
		    (ng > 0) ? sprintf("%.3f", ratio[i]) : "-",
		    sprintf("%.1f", size[i] / 1024), x)
	}

	printf("\nTargets (DESIGN.md section 7), as ratios to nginx in this run:\n")
	a = ("thread_anon" in idx) ? idx["thread_anon"] : 0
	u = ("thread_user" in idx) ? idx["thread_user"] : 0
	ta = (a && st[a] == "ok" && ng > 0)
	tu = (u && st[u] == "ok" && ng > 0)
	if (ta)
		printf("  anonymous thread  >= 0.5 of nginx     %6.3f     %s\n", ratio[a], rule(ratio[a] >= 0.5))
	else
		printf("  anonymous thread  >= 0.5 of nginx          -     not measured\n")
	if (tu)
		printf("  signed-in thread  >= 0.2 of nginx     %6.3f     %s\n", ratio[u], rule(ratio[u] >= 0.2))
	else
		printf("  signed-in thread  >= 0.2 of nginx          -     not measured\n")
	tot = f["rss_main_kb"] + f["rss_children_kb"]
	pss = f["pss_all_kb"] + 0
	printf("  memory, together  < 40 MB (all)     %6.1f MB  %s (PSS summed; VmRSS summed %.1f MB)\n",
	    pss / 1024, rule(pss > 0 && pss < 40 * 1024), tot / 1024)

	printf("\nResident memory after the load (VmRSS from /proc/PID/status; shared pages\n")
	printf("count in each process that maps them, so the sum overstates):\n")
	printf("  server process                     %6.1f MB  (peak VmHWM %.1f MB)\n",
	    f["rss_main_kb"] / 1024, f["hwm_main_kb"] / 1024)
	nc = split(f["children"], kids, ";")
	for (i = 1; i <= nc; i++) {
		if (kids[i] == "")
			continue
		split(kids[i], kv, ":")
		printf("  child %-7s %-20s %6.1f MB\n", kv[1], kv[3], kv[2] / 1024)
	}
	printf("  all, VmRSS summed                  %6.1f MB\n", tot / 1024)
	printf("  all, together (PSS summed)         %6.1f MB\n", pss / 1024)

	printf("\nThread page latency, one connection at a time (should not grow with the data):\n")
	printf("  small database (%s posts)   p50 %s ms   p99 %s ms\n",
	    f["small_posts"], ms(f["lat_small_p50_us"]), ms(f["lat_small_p99_us"]))
	printf("  large database (%s posts)   p50 %s ms   p99 %s ms\n",
	    f["posts"], ms(f["lat_large_p50_us"]), ms(f["lat_large_p99_us"]))
	lr = 0
	if (f["lat_small_p50_us"] > 0 && f["lat_large_p50_us"] > 0) {
		lr = f["lat_large_p50_us"] / f["lat_small_p50_us"]
		printf("  large / small p50 = %.2f   %s (the bench's rule: <= 1.5)\n", lr, rule(lr <= 1.5))
	}
	printf("\nPostgreSQL statements over 5 ms during the measurements (the server's):\n")
	if (ns == 0)
		printf("  none\n")
	for (i = 1; i <= ns; i++)
		printf("  %7d x  avg %8.1f ms  max %8.1f ms  %s\n", sn[i], sa[i], sm[i], sk[i])

	printf("\nA NOT MET is reported, never a failed build.\n")

	# ---- JSON ----
	printf("{\n") > json
	printf("  \"when\": %s,\n  \"commit\": %s,\n  \"cpus\": %s,\n  \"posts\": %s,\n",
	    jstr(f["when"]), jstr(f["commit"]), jnum(f["cpus"]), jnum(f["posts"])) > json
	printf("  \"wrk\": {\"threads\": %s, \"connections\": %s, \"seconds\": %s, \"gzip\": %s},\n",
	    jnum(f["wrk_threads"]), jnum(f["connections"]), jnum(f["duration"]),
	    jbool(f["gzip"] == 1)) > json
	printf("  \"pages\": [\n") > json
	for (i = 1; i <= n; i++) {
		ok = (st[i] == "ok")
		printf("    {\"page\": %s, \"status\": %s, \"rps\": %s, \"p50_us\": %s, \"p99_us\": %s, \"requests\": %s, \"not_2xx_3xx\": %s, \"socket_errors\": %s, \"bytes_per_response\": %s, \"ratio_to_nginx\": %s, \"note\": %s}%s\n",
		    jstr(name[i]), jstr(st[i]), jnum(ok ? rps[i] : ""),
		    jnum(ok ? p50[i] : ""), jnum(ok ? p99[i] : ""),
		    jnum(ok ? req[i] : ""), jnum(ok ? bad[i] : ""),
		    jnum(ok ? err[i] : ""), jnum(ok ? size[i] : ""),
		    (ok && ng > 0) ? sprintf("%.4f", rps[i] / ng) : "null",
		    jstr(note[i]), (i < n) ? "," : "") > json
	}
	printf("  ],\n") > json
	printf("  \"rss_kb\": {\"server\": %s, \"server_peak\": %s, \"children\": %s, \"total\": %s, \"pss_total\": %s, \"children_detail\": %s},\n",
	    jnum(f["rss_main_kb"]), jnum(f["hwm_main_kb"]),
	    jnum(f["rss_children_kb"]), tot, pss, jstr(f["children"])) > json
	printf("  \"thread_latency_us\": {\"small_posts\": %s, \"small_p50\": %s, \"small_p99\": %s, \"large_p50\": %s, \"large_p99\": %s},\n",
	    jnum(f["small_posts"]), jnum(f["lat_small_p50_us"]),
	    jnum(f["lat_small_p99_us"]), jnum(f["lat_large_p50_us"]),
	    jnum(f["lat_large_p99_us"])) > json
	printf("  \"slow_statements\": [") > json
	for (i = 1; i <= ns; i++)
		printf("%s{\"statement\": %s, \"count\": %s, \"avg_ms\": %s, \"max_ms\": %s}",
		    (i > 1) ? ", " : "", jstr(sk[i]), jnum(sn[i]), jnum(sa[i]), jnum(sm[i])) > json
	printf("],\n") > json
	printf("  \"targets\": {\"thread_anon_ge_0_5\": %s, \"thread_user_ge_0_2\": %s, \"rss_lt_40mb\": %s, \"latency_large_over_small_le_1_5\": %s}\n",
	    ta ? jbool(ratio[a] >= 0.5) : "null",
	    tu ? jbool(ratio[u] >= 0.2) : "null",
	    jbool(tot < 40 * 1024),
	    (lr > 0) ? jbool(lr <= 1.5) : "null") > json
	printf("}\n") > json
}
