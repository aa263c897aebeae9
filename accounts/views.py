from django.http import HttpResponse


def healthz(request):
    """Liveness probe for the load balancer; needs no login."""
    return HttpResponse("ok", content_type="text/plain")
