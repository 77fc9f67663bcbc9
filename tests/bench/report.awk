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
function row(label, rps, p50, p99, ratio, ratio2, kb, note) {
	printf("%-30s %8s %8s %8s %7s %7s %7s  %s\n", label, rps, p50, p99, ratio, ratio2, kb, note)
}
# the req/s of the yardstick of row i: nginx gzip_static of the same page
# (the vacancy and the guide have their own; the others the thread's)
function ystick(i,  k) {
	k = (name[i] == "job_anon") ? "nginx_pre_job" : \
	    (name[i] == "guide_anon") ? "nginx_pre_guide" : "nginx_pre"
	if ((k in idx) && st[idx[k]] == "ok")
		return rps[idx[k]]
	return 0
}
function target(what, i, want, ok_) {
	if (!i || st[i] != "ok" || ratio[i] == 0) {
		printf("  %-38s      -     not measured\n", what)
		return
	}
	printf("  %-38s %6.3f     %s\n", what, ratio[i], rule(ratio[i] >= want))
	tj = tj sprintf("%s\"%s\": %s", (tj != "") ? ", " : "", name[i] "_ge_" want, jbool(ratio[i] >= want))
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
	label["search_user"] = "search, signed in, common word"
	label["reply"] = "reply    POST /t/{id}/reply"
	label["nginx_pre_job"] = "nginx: the vacancy, gzip once"
	label["nginx_pre_guide"] = "nginx: the guide, gzip once"
	label["job_anon"] = "vacancy GET /jobs/{id}"
	label["guide_anon"] = "guide   GET /guides/{id}"
	label["board_user"] = "board, signed in"
	# the second reference: nginx compressing the page on every request
	ng = 0
	if (("nginx" in idx) && st[idx["nginx"]] == "ok")
		ng = rps[idx["nginx"]]

	printf("Magnet bench %s, commit %s, %s CPUs, %s posts in the database\n",
	    f["when"], f["commit"], f["cpus"], f["posts"])
	printf("wrk: %s threads, %s connections, %s s per page, Accept-Encoding: %s\n\n",
	    f["wrk_threads"], f["connections"], f["duration"],
	    (f["gzip"] == 1) ? "gzip" : "(none)")
	printf("/static: req/s over nginx gzip_static of the same page (the bytes\n")
	printf("gzipped once: the thread page's, or the row's own for the vacancy and\n")
	printf("the guide); /gzip: over nginx gzipping the saved thread page each time.\n\n")
	row("page", "req/s", "p50 ms", "p99 ms", "/static", "/gzip", "KB/resp", "notes")
	row("----", "-----", "------", "------", "-------", "-----", "-------", "-----")
	for (i = 1; i <= n; i++) {
		lb = (name[i] in label) ? label[name[i]] : name[i]
		if (st[i] != "ok") {
			row(lb, "-", "-", "-", "-", "-", "-", st[i] ((note[i] != "") ? "; " note[i] : ""))
			continue
		}
		ys[i] = ystick(i)
		ratio[i] = (ys[i] > 0) ? rps[i] / ys[i] : 0
		ratio2[i] = (ng > 0) ? rps[i] / ng : 0
		x = note[i]
		if (bad[i] > 0)
			x = x ((x != "") ? "; " : "") bad[i] " of " req[i] " answers not 2xx/3xx"
		if (err[i] > 0)
			x = x ((x != "") ? "; " : "") err[i] " socket errors"
		row(lb, sprintf("%d", rps[i]), ms(p50[i]), ms(p99[i]),
		    (ys[i] > 0) ? sprintf("%.3f", ratio[i]) : "-",
		    (ng > 0) ? sprintf("%.3f", ratio2[i]) : "-",
		    sprintf("%.1f", size[i] / 1024), x)
	}

	printf("\nTargets (issue 19), as ratios to nginx gzip_static in this run:\n")
	tj = ""
	a = ("thread_anon" in idx) ? idx["thread_anon"] : 0
	u = ("thread_user" in idx) ? idx["thread_user"] : 0
	target("anonymous thread  >= 0.5 of static", a, 0.5)
	target("anonymous home    >= 0.5 of static", ("home" in idx) ? idx["home"] : 0, 0.5)
	target("anonymous board   >= 0.5 of static", ("board" in idx) ? idx["board"] : 0, 0.5)
	target("anonymous vacancy >= 0.5 of static", ("job_anon" in idx) ? idx["job_anon"] : 0, 0.5)
	target("anonymous guide   >= 0.5 of static", ("guide_anon" in idx) ? idx["guide_anon"] : 0, 0.5)
	target("signed-in thread  >= 0.15 of static", u, 0.15)
	ta = (a && st[a] == "ok" && ratio[a] > 0)
	tu = (u && st[u] == "ok" && ratio[u] > 0)
	su = ("search_user" in idx) ? idx["search_user"] : 0
	if (su && st[su] == "ok") {
		printf("  signed-in search p99 < 50 ms       %6.1f ms  %s\n", p99[su] / 1000, rule(p99[su] < 50000))
		tj = tj sprintf(", \"search_user_p99_lt_50ms\": %s", jbool(p99[su] < 50000))
	} else
		printf("  signed-in search p99 < 50 ms            -     not measured\n")
	rp = ("reply" in idx) ? idx["reply"] : 0
	if (rp && st[rp] == "ok") {
		printf("  replies >= 1000 POSTs/s             %6d     %s\n", rps[rp], rule(rps[rp] >= 1000))
		tj = tj sprintf(", \"reply_ge_1000\": %s", jbool(rps[rp] >= 1000))
	} else
		printf("  replies >= 1000 POSTs/s                 -     not measured\n")
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
		printf("    {\"page\": %s, \"status\": %s, \"rps\": %s, \"p50_us\": %s, \"p99_us\": %s, \"requests\": %s, \"not_2xx_3xx\": %s, \"socket_errors\": %s, \"bytes_per_response\": %s, \"ratio_to_gzip_static\": %s, \"ratio_to_nginx_gzip\": %s, \"note\": %s}%s\n",
		    jstr(name[i]), jstr(st[i]), jnum(ok ? rps[i] : ""),
		    jnum(ok ? p50[i] : ""), jnum(ok ? p99[i] : ""),
		    jnum(ok ? req[i] : ""), jnum(ok ? bad[i] : ""),
		    jnum(ok ? err[i] : ""), jnum(ok ? size[i] : ""),
		    (ok && ys[i] > 0) ? sprintf("%.4f", rps[i] / ys[i]) : "null",
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
	# every ratio target measured (name_ge_want, against gzip_static),
	# then the rest
	printf("  \"targets\": {%s%s\"rss_lt_40mb\": %s, \"latency_large_over_small_le_1_5\": %s}\n",
	    tj, (tj != "") ? ", " : "",
	    jbool(pss > 0 && pss < 40 * 1024),
	    (lr > 0) ? jbool(lr <= 1.5) : "null") > json
	printf("}\n") > json
}
