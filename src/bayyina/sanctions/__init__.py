"""bayyina.sanctions"""
