"""Routes of the sign-in with the province's accounts (OpenID Connect, ``auth.oidc``)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask_login import current_user

from learning.auth import oidc, sessions
from learning.extensions import db

bp = Blueprint("oidc", __name__)


def _problem_page(problem: oidc.SignInProblem):
    db.session.commit()  # the refusal's audit event, though the page is an error; nothing else was written
    return render_template("auth/sso_problem.html", title=str(oidc.TITLE), problem=problem), problem.status


@bp.get("/dang-nhap/oidc")
def login():
    if not oidc.enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(sessions.safe_next(request.args.get("next")))
    try:
        return oidc.start(request.args.get("next"))
    except oidc.SignInProblem as problem:
        return _problem_page(problem)


@bp.get("/dang-nhap/oidc/callback")
def callback():
    if not oidc.enabled():
        abort(404)
    try:
        return redirect(oidc.finish())
    except oidc.SignInProblem as problem:
        return _problem_page(problem)
