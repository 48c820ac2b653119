MODEL_REGISTRY = {}


def register_model(name):
    def decorator(fn):
        MODEL_REGISTRY[name] = fn
        return fn
    return decorator


def build_model(name, **kwargs):
    return MODEL_REGISTRY[name](**kwargs)
