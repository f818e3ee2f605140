# A small deterministic two-wave survey for the glm-family, offset and predictive-margin
# reference cases (ref_glm_families.R, ref_predmeans.R): 3 regions x 2 waves = 6 strata,
# 5 sampled PSUs (of 40) per stratum, 12 persons per PSU; the wave-2 sample is older.
# Every value is rounded to a few decimals, so the CSV holds exactly what R used.
# Run from the repository root:  Rscript tests/reference/make_glm_survey.R
set.seed(20261203)
strata <- expand.grid(region = c("north", "south", "west"), wave = 1:2,
                      stringsAsFactors = FALSE)
rows <- list()
for (s in seq_len(nrow(strata))) {
  for (p in 1:5) {
    n <- 12
    wave <- strata$wave[s]
    age <- round(runif(n, 18, 80) + 6 * (wave == 2))
    sex <- sample(c("F", "M"), n, replace = TRUE)
    female <- sex == "F"
    psu_effect <- rnorm(1, 0, 0.2)
    exposure <- round(runif(n, 30, 365))
    rate <- exp(-0.6 + 0.012 * age + 0.3 * female + 0.15 * (wave == 2) + psu_effect)
    visits <- rpois(n, rate * exposure / 365 * 4)
    mean_cost <- exp(5 + 0.01 * age + 0.2 * female + psu_effect)
    cost <- round(rgamma(n, shape = 2, rate = 2 / mean_cost), 2)
    duration <- round(exp(rnorm(n, 0.5 + 0.01 * age, 0.4)), 3)
    satisfied <- rbinom(n, 1, plogis(-1.2 + 0.025 * (age - 50) + 0.4 * female +
                                       0.3 * (wave == 2) + psu_effect))
    score <- round(40 + 0.3 * age + 4 * female + 2 * (wave == 2) + 5 * psu_effect +
                     rnorm(n, 0, 8), 1)
    rows[[length(rows) + 1]] <- data.frame(
      stratum = s, psu = (s - 1) * 5 + p, region = strata$region[s], wave = wave,
      weight = round(runif(n, 150, 450), 1), npsu = 40, age = age, sex = sex,
      exposure = exposure, visits = visits, cost = cost, duration = duration,
      satisfied = satisfied, score = score, stringsAsFactors = FALSE)
  }
}
survey <- do.call(rbind, rows)
# a common outcome (about 80 %): log-binomial fits need step halving from poor starts
survey$score45 <- as.numeric(survey$score > 45)
write.csv(survey, "tests/reference/data/glm_survey.csv", row.names = FALSE)
message(sprintf("glm_survey.csv: %d rows", nrow(survey)))
