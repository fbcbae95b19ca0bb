"""bayyina.web"""
