# Stratified draws (sk.plan.draw) against R's sampling and survey packages.
# R's and numpy's random streams differ, so what is compared is deterministic:
#  - inclusion probabilities and per-stratum sample sizes: sampling::inclusionprobabilities
#    and sampling::strata (srswor, systematic, poisson) on the same frame and allocation;
#  - systematic selection for a given random start: sampling::UPsystematic with its
#    runif(1) replaced by the start (checked against UPsystematic itself for seeded starts),
#    for single (N, n, u) cases and for the whole systematic draw of draw_input.json
#    (its frame sorted by age and sex, its per-stratum starts);
#  - estimates on the samples sk.plan.draw drew (draw_input.json): svymean / svytotal /
#    svyby on svydesign(ids=~1, strata=~stratum, fpc=~stratum_size) for the SRS and
#    systematic samples, and on the Poisson design svydesign(ids=~1, strata=~stratum,
#    probs=~inclusion_prob, pps=poisson_sampling(inclusion_prob)) and, given its realised
#    stratum sizes, svydesign(ids=~1, strata=~stratum, fpc=~stratum_size).
# Run from the repository root (after python tests/reference/make_draw_input.py):
#   Rscript tests/reference/ref_draw.R
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
  library(sampling)
})
options(digits = 15, survey.lonely.psu = "fail")

input <- fromJSON("tests/reference/data/draw_input.json", simplifyVector = TRUE)
frame <- as.data.frame(input$frame, stringsAsFactors = FALSE)
alloc <- unlist(input$allocation)
frame$row <- seq_len(nrow(frame))
strata_order <- unique(frame$municipality)           # sampling::strata's order of sizes
N_h <- as.vector(table(frame$municipality)[strata_order])
n_h <- as.vector(alloc[strata_order])

# --- inclusion probabilities and sizes --------------------------------------------------
incl <- lapply(seq_along(strata_order), function(h)
  list(stratum = strata_order[h], N = N_h[h], n = n_h[h],
       pik = unique(inclusionprobabilities(rep(1, N_h[h]), n_h[h]))))

strata_sizes <- list()
for (m in c("srswor", "systematic", "poisson")) {
  set.seed(20261205)
  st <- if (m == "srswor") {
    strata(frame, "municipality", size = n_h, method = m)
  } else {
    strata(frame, "municipality", size = n_h, method = m, pik = rep(1, nrow(frame)))
  }
  per <- lapply(strata_order, function(s) {
    rows <- st[st$municipality == s, ]
    list(stratum = s, n = nrow(rows), prob = unique(rows$Prob))
  })
  strata_sizes[[m]] <- per
}

# --- systematic selection for a given start ---------------------------------------------
# sampling::UPsystematic's own body, with the uniform start it draws given as `u`
up_text <- paste(deparse(body(UPsystematic)), collapse = "\n")
stopifnot(grepl("runif(1, 0, 1)", up_text, fixed = TRUE))
up_at <- function(pik, u, eps = 1e-06) NULL
body(up_at) <- parse(text = gsub("runif(1, 0, 1)", "u", up_text, fixed = TRUE))[[1]]
for (k in 1:20) {       # the copy is UPsystematic: same selection as with the seeded start
  N <- 5 + 7 * k; n <- 1 + (k * 3) %% N
  pik <- rep(n / N, N)
  set.seed(k); u <- runif(1)
  set.seed(k); s <- UPsystematic(pik)
  stopifnot(identical(s, up_at(pik, u)))
}
sys_cases <- list()
grid <- list(c(10, 3, 0.5), c(100, 37, 0.123456789), c(7, 7, 0.3), c(13, 1, 0.9),
             c(30, 9, 0.7071067811865476), c(120, 24, 0.15964844816231893),
             c(45, 44, 0.999), c(1000, 333, 0.31830988618379067))
for (g in grid) {
  N <- g[1]; n <- g[2]; u <- g[3]
  s <- up_at(rep(n / N, N), u)
  sys_cases[[length(sys_cases) + 1]] <- list(N = N, n = n, u = u,
                                             positions = I(which(s == 1) - 1))
}
# the whole systematic draw: frame sorted by age then sex (stable), each stratum from its start
ord <- order(frame$age, frame$sex)
starts <- input$samples$systematic$starts
sys_rows <- c()
for (s in strata_order) {
  y <- ord[frame$municipality[ord] == s]
  pikk <- inclusionprobabilities(rep(1, length(y)), alloc[[s]])
  sys_rows <- c(sys_rows, y[up_at(pikk, starts[[s]]) == 1])
}
sys_rows <- sort(sys_rows)

# --- estimates on the drawn samples -----------------------------------------------------
sample_of <- function(name) {
  s <- frame[input$samples[[name]]$rows, ]
  s$stratum <- s$municipality
  s$stratum_size <- as.vector(table(frame$municipality)[s$stratum])
  s$inclusion_prob <- alloc[s$stratum] / s$stratum_size
  s
}
estimates <- function(des, name, conditional, call) {
  out <- list()
  add <- function(stat, res, by = NULL) {
    est <- coef(res)
    out[[length(out) + 1]] <<- list(sample = name, conditional = conditional,
                                    statistic = stat, by = by, variable = names(est),
                                    estimate = unname(est), se = unname(SE(res)), call = call)
  }
  add("mean", svymean(~y + z, des))
  add("total", svytotal(~y + z, des))
  add("mean", svyby(~y, ~sex, des, svymean), by = "sex")
  add("total", svyby(~z, ~sex, des, svytotal), by = "sex")
  out
}
cases <- list()
# SRS and systematic samples; the Poisson sample analysed given its realised stratum sizes
for (name in c("srswor", "systematic", "poisson")) {
  s <- sample_of(name)
  des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~stratum_size, data = s)
  cases <- c(cases, estimates(des, name, name == "poisson",
                              "svydesign(ids=~1, strata=~stratum, fpc=~stratum_size)"))
}
s <- sample_of("poisson")
des <- svydesign(ids = ~1, strata = ~stratum, probs = ~inclusion_prob, data = s,
                 pps = poisson_sampling(s$inclusion_prob))
cases <- c(cases, estimates(des, "poisson", FALSE, paste(
  "svydesign(ids=~1, strata=~stratum, probs=~inclusion_prob,",
  "pps=poisson_sampling(inclusion_prob))")))

out <- list(R_version = R.version.string,
            survey_version = as.character(packageVersion("survey")),
            sampling_version = as.character(packageVersion("sampling")),
            inclusion = incl, strata = strata_sizes, systematic_cases = sys_cases,
            systematic_rows = sys_rows, cases = cases)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, null = "null", pretty = TRUE),
           "tests/reference/ref_draw.json")
cat("wrote tests/reference/ref_draw.json\n")
