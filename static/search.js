/* explainer — search. On every page: Ctrl/Cmd+K or "/" opens search (the
   header's search link). On the search page: results as you type from the
   site's Pagefind index (pagefind/pagefind.js, loaded only here), with
   highlighted excerpts and filters that show how many results each keeps.
   Without the index (opened from disk, or a failed load) the page says
   what search needs instead. */
(function () {
  "use strict";

  var link = document.querySelector(".search-link");
  var root = document.getElementById("search");
  var input = root && document.getElementById("search-input");

  function editable(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function openSearch() {
    if (input) {
      input.focus();
      input.select();
    } else if (link) {
      window.location.href = link.href;
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey) return;
    var key = event.key;
    var shortcut = (event.ctrlKey || event.metaKey) && !event.shiftKey && (key === "k" || key === "K");
    var slash = key === "/" && !event.ctrlKey && !event.metaKey && !editable(event.target);
    if (shortcut || slash) {
      event.preventDefault();
      openSearch();
    }
  });

  if (!root) return;

  var message = document.getElementById("search-message");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filterBox = document.getElementById("search-filters");
  var filterDetails = document.getElementById("search-filters-box");
  var filterActive = document.getElementById("search-filters-active");
  var links = document.getElementById("search-links");
  var form = root.querySelector("form");
  var PAGE = 10;

  /* Every word shown comes from the page, in the site's language
     (data-t-* attributes of the search root, from the interface strings). */
  function T(name, values) {
    var text = root.getAttribute("data-t-" + name) || "";
    Object.keys(values || {}).forEach(function (k) {
      text = text.split("{" + k + "}").join(values[k]);
    });
    return text;
  }
  function pairs(keys, name) {
    var words = T(name).split("|");
    var out = {};
    keys.forEach(function (k, i) { out[k] = words[i] || k; });
    return out;
  }
  function formsOf(name) {
    try { return JSON.parse(T(name)) || {}; } catch (e) { return {}; }
  }
  var RESULT_FORMS = formsOf("results");
  var ACTIVE_FORMS = formsOf("filters-active");
  var LANG = document.documentElement.lang || "en";
  var PLURALS = window.Intl && Intl.PluralRules ? new Intl.PluralRules(LANG) : null;
  function plural(forms, n) {
    var form = forms[PLURALS ? PLURALS.select(n) : (n === 1 ? "one" : "other")] || forms.other || "{count}";
    return form.split("{count}").join(String(n));
  }
  function resultCount(n) {
    if (n === 0 && !RESULT_FORMS.zero) return T("no-results");
    return plural(RESULT_FORMS, n);
  }

  /* A result's date (an ISO 8601 day) as the theme writes dates: the day,
     the month's name and the year, in the page's language; the ISO day
     where the browser cannot. */
  var DATES = null;
  try {
    DATES = new Intl.DateTimeFormat(LANG, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  } catch (e) { DATES = null; }
  function humanDate(iso) {
    var day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!DATES || !day) return iso;
    var at = new Date(Date.UTC(+day[1], +day[2] - 1, +day[3]));
    return isNaN(at.getTime()) ? iso : DATES.format(at);
  }

  var GROUPS = [
    { key: "kind", legend: T("filter-kind") },
    { key: "actor_kind", legend: T("filter-actor-kind") },
    { key: "topic", legend: T("filter-topic") }
  ];
  var KIND_LABELS = pairs(["article", "explainer", "actor", "page", "author"], "kinds");
  var KIND_NAMES = pairs(["article", "explainer", "actor", "page", "author"], "kind-names");
  var ACTOR_KINDS = pairs(["person", "organization", "country", "group", "place"], "actor-kinds");

  /* Replaces the message shown without JavaScript by `lines`, keeping its
     links to the site's lists. `{command}` in a line is the command that
     serves the site, shown as code. */
  function say(lines) {
    Array.prototype.slice.call(message.children).forEach(function (child) {
      if (child !== links) message.removeChild(child);
    });
    lines.forEach(function (line) {
      var p = document.createElement("p");
      line.split("{command}").forEach(function (part, i) {
        if (i > 0) {
          var code = document.createElement("code");
          code.textContent = "explainer serve";
          p.appendChild(code);
        }
        if (part) p.appendChild(document.createTextNode(part));
      });
      message.insertBefore(p, links);
    });
    message.hidden = false;
    root.hidden = true;
  }

  if (window.location.protocol === "file:") {
    say([T("from-disk"), T("serve-hint")]);
    return;
  }

  var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI);
  var siteRoot = new URL("./", new URL("..", bundle)).pathname;

  /* The index may be cut into shards (pagefind/shards.json lists those
     beyond the first), which Pagefind merges into one search. */
  var shardList = fetch(new URL("shards.json", bundle).href).then(function (r) {
    return r.ok ? r.json() : { shards: [] };
  }).then(function (json) { return json.shards || []; }, function () { return []; });

  Promise.all([import(bundle.href), shardList]).then(function (loaded) {
    start(loaded[0], loaded[1]);
  }, function () {
    say([T("load-failed", { path: bundle.pathname }), T("load-failed-hint")]);
  });

  function label(group, value) {
    if (group === "kind") return KIND_LABELS[value] || value;
    if (group === "actor_kind" && ACTOR_KINDS[value]) return ACTOR_KINDS[value];
    return value.charAt(0).toUpperCase() + value.slice(1);
  }

  /* Pagefind's excerpt is the page's text with "<" and ">" escaped (and
     nothing else: "&" stays as it is) and <mark> around matches. Its
     parts go into text nodes, never innerHTML, so the escapes are undone
     here: a page about "<script>" shows that text, and never runs it. */
  function excerptInto(el, excerpt) {
    var parts = String(excerpt || "").split(/(<mark>|<\/mark>)/);
    var marked = false;
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      part = part.split("&lt;").join("<").split("&gt;").join(">");
      if (!part) return;
      if (marked) {
        var m = document.createElement("mark");
        m.textContent = part;
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(part));
      }
    });
  }

  /* How results by filters alone are ordered: A to Z by title when only
     actors can match (they have no date), else newest first, undated pages
     last. `sort` is Pagefind's, `first` says whether a page goes before
     another (to merge the shards of the index). */
  function titleKey(page) {
    return String((page.meta && page.meta.title) || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function dateOf(page) { return (page.meta && page.meta.date) || ""; }
  var BY_TITLE = { sort: { title: "asc" }, first: function (a, b) { return titleKey(a) < titleKey(b); } };
  var BY_DATE = { sort: { date: "desc" }, first: function (a, b) { return dateOf(a) > dateOf(b); } };

  /* Results of one search, shown PAGE at a time: in Pagefind's order, or
     for a search by filters alone, in `order` across the shards of the
     index: `runs` are the results of each shard (Pagefind sorts each, but
     merges shards by score), merged by their next result, loading only
     the pages shown and the next of each shard. */
  function source(found, runs, order) {
    var total = found.results.length;
    var shown = 0;
    runs = (runs || []).map(function (r) { return { items: r.results, next: 0, page: null }; });
    function head(run) {
      if (!run.page) run.page = run.items[run.next].data();
      return run.page;
    }
    function take(count, out) {
      var open = runs.filter(function (run) { return run.next < run.items.length; });
      if (!count || !open.length) return Promise.resolve(out);
      return Promise.all(open.map(head)).then(function (pages) {
        var best = 0;
        pages.forEach(function (page, i) { if (order.first(page, pages[best])) best = i; });
        out.push(pages[best]);
        open[best].next += 1;
        open[best].page = null;
        shown += 1;
        return take(count - 1, out);
      });
    }
    return {
      total: total,
      left: function () { return total - shown; },
      next: function (count) {
        if (runs.length) return take(count, []);
        var batch = found.results.slice(shown, shown + count);
        shown += batch.length;
        return Promise.all(batch.map(function (r) { return r.data(); }));
      }
    };
  }

  var shardCount = 1;

  function start(pagefind, shards) {
    shardCount = shards.length + 1;
    message.hidden = true;
    root.hidden = false;
    var chosen = {};
    var boxes = {};
    var results = source({ results: [] }, null, BY_DATE);
    var term = "";
    var generation = 0;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.textContent = T("more");
    more.hidden = true;
    list.insertAdjacentElement("afterend", more);

    /* Each shard's pages carry a `shard` filter of its own number, so a
       search by filters alone can be run shard by shard (see source). */
    var first = { baseUrl: siteRoot };
    if (shards.length) first.mergeFilter = { shard: "0" };
    Promise.resolve(pagefind.options(first))
      .then(function () {
        return Promise.all(shards.map(function (path, i) {
          return pagefind.mergeIndex(new URL(path, bundle).pathname, {
            baseUrl: siteRoot,
            mergeFilter: { shard: String(i + 1) }
          });
        }));
      })
      .then(function () { return pagefind.filters(); })
      .then(function (totals) {
        buildFilters(totals || {});
        var q = new URLSearchParams(window.location.search).get("q");
        if (q) {
          input.value = q;
          run(true);
        }
      });

    /* Narrow screens show the filters folded under a summary that counts
       those ticked, so the results come first; wide ones beside the
       results, always open. */
    var wide = window.matchMedia("(min-width: 760px)");
    function fold() { filterDetails.open = wide.matches; }
    if (wide.addEventListener) wide.addEventListener("change", fold);

    function buildFilters(totals) {
      GROUPS.forEach(function (group) {
        var values = totals[group.key];
        if (!values || !Object.keys(values).length) return;
        var fieldset = document.createElement("fieldset");
        fieldset.className = "search-filter";
        var legend = document.createElement("legend");
        legend.textContent = group.legend;
        fieldset.appendChild(legend);
        boxes[group.key] = {};
        Object.keys(values).sort(function (a, b) {
          return label(group.key, a).localeCompare(label(group.key, b));
        }).forEach(function (value) {
          var id = "filter-" + group.key + "-" + Object.keys(boxes[group.key]).length;
          var row = document.createElement("div");
          row.className = "search-filter-option";
          var box = document.createElement("input");
          box.type = "checkbox";
          box.id = id;
          box.value = value;
          box.addEventListener("change", function () {
            var set = chosen[group.key] || (chosen[group.key] = []);
            var at = set.indexOf(value);
            if (box.checked && at < 0) set.push(value);
            if (!box.checked && at >= 0) set.splice(at, 1);
            if (!set.length) delete chosen[group.key];
            run(true);
          });
          var text = document.createElement("label");
          text.htmlFor = id;
          text.appendChild(document.createTextNode(label(group.key, value) + " "));
          var count = document.createElement("span");
          count.className = "search-count";
          text.appendChild(count);
          row.appendChild(box);
          row.appendChild(text);
          fieldset.appendChild(row);
          boxes[group.key][value] = count;
        });
        filterBox.appendChild(fieldset);
      });
      filterDetails.hidden = !Object.keys(boxes).length;
      fold();
      showCounts(totals);
    }

    function showCounts(counts) {
      Object.keys(boxes).forEach(function (key) {
        Object.keys(boxes[key]).forEach(function (value) {
          var n = (counts[key] && counts[key][value]) || 0;
          boxes[key][value].textContent = "(" + n + ")";
        });
      });
    }

    function filterQuery(without) {
      var out = {};
      Object.keys(chosen).forEach(function (key) {
        if (key !== without) out[key] = { any: chosen[key].slice() };
      });
      return out;
    }

    /* The count beside each filter is how many results ticking it would
       give with the query and the other groups' filters. For a group with
       nothing ticked that is Pagefind's `filters`; for a group with a
       value ticked, ticking another adds to it (values of one group are
       alternatives), so its counts are those of the search without that
       group: Pagefind's `totalFilters` when no other group is ticked, else
       one more search. */
    function countsFor(found, term) {
      var counts = {};
      var keys = Object.keys(chosen);
      return Promise.all(Object.keys(boxes).map(function (key) {
        if (!chosen[key]) {
          counts[key] = (found.filters || {})[key];
          return null;
        }
        if (keys.length === 1) {
          counts[key] = (found.totalFilters || {})[key];
          return null;
        }
        return pagefind.search(term || null, { filters: filterQuery(key) }).then(function (other) {
          counts[key] = ((other && other.filters) || {})[key];
        });
      })).then(function () { return counts; });
    }

    function showActive() {
      var n = 0;
      Object.keys(chosen).forEach(function (key) { n += chosen[key].length; });
      filterActive.textContent = n ? "(" + plural(ACTIVE_FORMS, n) + ")" : "";
    }

    function run(now) {
      term = input.value.trim();
      var mine = ++generation;
      var filtered = Object.keys(chosen).length > 0;
      var url = new URL(window.location.href);
      if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
      showActive();
      if (!term && !filtered) {
        results = source({ results: [] }, null, BY_DATE);
        list.textContent = "";
        more.hidden = true;
        status.textContent = "";
        pagefind.filters().then(function (totals) { if (mine === generation) showCounts(totals || {}); });
        return;
      }
      var actorsOnly = Boolean(chosen.actor_kind) ||
        Boolean(chosen.kind && chosen.kind.every(function (k) { return k === "actor"; }));
      var order = actorsOnly ? BY_TITLE : BY_DATE;
      var options = { filters: filterQuery(), sort: term ? undefined : order.sort };
      var search = now ? pagefind.search(term || null, options)
                       : pagefind.debouncedSearch(term || null, options, 150);
      Promise.resolve(search).then(function (found) {
        if (!found || mine !== generation) return;
        var runs = null;
        if (!term && shardCount > 1) {
          runs = Promise.all(Array.apply(null, Array(shardCount)).map(function (_, i) {
            var own = filterQuery();
            own.shard = String(i);
            return pagefind.search(null, { filters: own, sort: options.sort });
          }));
        }
        return Promise.all([runs, countsFor(found, term)]).then(function (done) {
          if (mine !== generation) return;
          show(found, done[0], order, done[1]);
        });
      });
    }

    function show(found, runs, order, counts) {
      var mine = generation;
      var filtered = Object.keys(chosen).length > 0;
      var what = term ? " " + T("for", { term: term }) : "";
      results = source(found, runs, order);
      var n = results.total;
      // The list is replaced and the count announced once the first
      // results are in, so the two never disagree.
      return showMore(mine, function () {
        list.textContent = "";
        showCounts(counts);
        status.textContent = resultCount(n) + what + (filtered ? " " + T("filtered") : "") + ".";
      });
    }

    function showMore(mine, before) {
      return results.next(PAGE).then(function (pages) {
        if (mine !== generation) return;
        if (before) before();
        pages.forEach(function (page) { list.appendChild(item(page)); });
        more.hidden = results.left() <= 0;
      });
    }

    function item(page) {
      var meta = page.meta || {};
      var li = document.createElement("li");
      li.className = "search-result";
      var kind = document.createElement("p");
      kind.className = "search-kind";
      var kindText = KIND_NAMES[meta.kind] || "";
      kind.textContent = kindText;
      if (meta.date) {
        var time = document.createElement("time");
        time.dateTime = meta.date;
        time.textContent = humanDate(meta.date);
        if (kindText) kind.appendChild(document.createTextNode(" \u00b7 "));
        kind.appendChild(time);
        kindText += meta.date;
      }
      var h = document.createElement("h2");
      h.className = "search-title";
      var a = document.createElement("a");
      a.href = page.url;
      a.textContent = meta.title || page.url;
      h.appendChild(a);
      li.appendChild(h);
      if (kindText) li.appendChild(kind);
      if (meta.aliases) {
        var aka = document.createElement("p");
        aka.className = "search-aliases";
        aka.textContent = T("also", { aliases: meta.aliases });
        li.appendChild(aka);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerptInto(excerpt, page.excerpt);
      li.appendChild(excerpt);
      return li;
    }

    more.addEventListener("click", function () {
      var first = list.children.length;
      showMore(generation).then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      });
    });

    input.addEventListener("input", function () { run(false); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(true);
    });

    /* Arrow keys move between the box and the results; Enter on a result
       follows its link, as on any link. */
    function resultLinks() {
      return Array.prototype.slice.call(list.querySelectorAll(".search-title a"));
    }
    root.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
        if (event.key === "Escape" && event.target === input && input.value) {
          input.value = "";
          run(true);
        }
        return;
      }
      var links = resultLinks();
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      if (event.target === input) {
        if (event.key !== "ArrowDown") return;
        event.preventDefault();
        links[0].focus();
      } else if (at >= 0) {
        event.preventDefault();
        if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
        else if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
      }
    });

    input.focus();
  }
})();
